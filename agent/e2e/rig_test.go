package e2e

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/serial"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/modem"
	"github.com/tokrihq/tokri/modem/at"
)

// deadline bounds every wait for an event; generous, because the race
// detector on a 2-core machine slows the whole path several times.
const deadline = 60 * time.Second

// profiles are the modem models whose differences reach the agent: echo,
// first storage index, empty-slot answers, RSSI lines, USSD encodings.
var profiles = []string{"sim800", "huawei-e1752"}

// TestMain runs many tests at once unless -parallel says otherwise: they
// wait on ptys and modems, not on the CPU. It fails the run if goroutines
// outlive the tests.
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		if err := flag.Set("test.parallel", "32"); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	before := runtime.NumGoroutine()
	code := m.Run()
	if code == 0 {
		end := time.Now().Add(10 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(end) {
				buf := make([]byte, 1<<20)
				n := runtime.Stack(buf, true)
				fmt.Fprintf(os.Stderr, "goroutines leaked: %d before, %d after\n%s", before, runtime.NumGoroutine(), buf[:n])
				code = 1
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	os.Exit(code)
}

// rig is one virtual modem with its control API and one store file; agents
// come and go on them.
type rig struct {
	t       *testing.T
	log     zerolog.Logger
	vm      *vmodem.Modem
	vmc     *vmodem.Client
	dbPath  string
	db      *store.DB
	ctx     context.Context // for control calls; ends at cleanup
	journal *journal        // every log entry and AT trace line, in order
}

// newRig starts a virtual modem of profile and opens a fresh store. All of
// it stops at the end of the test, agents first.
func newRig(t *testing.T, profile string) *rig {
	t.Helper()
	j := &journal{}
	log := zerolog.New(io.MultiWriter(zerolog.NewTestWriter(t), j)).Level(zerolog.DebugLevel).With().Timestamp().Logger()
	dir := t.TempDir()
	r := &rig{t: t, log: log, dbPath: filepath.Join(dir, "tokri.db"), journal: j}

	db, err := store.Open(r.dbPath, store.Options{Log: log.With().Str("side", "store").Logger()})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	r.db = db
	t.Cleanup(func() { r.closeDB() })

	vm, err := vmodem.New(vmodem.Config{Link: filepath.Join(dir, "modem"), Profile: profile,
		Log: log.Level(zerolog.InfoLevel).With().Str("side", "vmodem").Logger()})
	if err != nil {
		t.Fatalf("vmodem.New: %v", err)
	}
	r.vm = vm
	ctx, cancel := context.WithCancel(context.Background())
	r.ctx = ctx
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := vm.Run(ctx); err != nil {
			t.Errorf("vmodem.Run: %v", err)
		}
	}()
	srv := httptest.NewServer(vm.Handler())
	r.vmc = &vmodem.Client{BaseURL: srv.URL, HTTP: srv.Client()}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		srv.Close()
	})
	return r
}

// closeDB checks the file's consistency and closes it.
func (r *rig) closeDB() {
	if r.db == nil {
		return
	}
	if err := r.db.Bolt().View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			r.t.Errorf("bbolt check: %v", err)
		}
		return nil
	}); err != nil {
		r.t.Errorf("bbolt check: %v", err)
	}
	if err := r.db.Close(); err != nil {
		r.t.Errorf("close store: %v", err)
	}
	r.db = nil
}

// reopenDB closes the store file and opens it again, as a restarted
// process would.
func (r *rig) reopenDB() { r.reopenDBWith(store.Options{}) }

// reopenDBWith is reopenDB with store options (the logger is the rig's).
func (r *rig) reopenDBWith(opts store.Options) {
	r.t.Helper()
	r.closeDB()
	opts.Log = r.log.With().Str("side", "store").Logger()
	db, err := store.Open(r.dbPath, opts)
	if err != nil {
		r.t.Fatalf("reopen store: %v", err)
	}
	r.db = db
}

// running is one agent serving the rig's modem.
type running struct {
	a      *agent.Agent
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// start runs an agent on the rig's modem through the real serial code
// until the test ends or stop is called. tweak adjusts the options.
func (r *rig) start(tweak func(*agent.Options)) *running {
	r.t.Helper()
	return r.startWith(tweak, nil)
}

// startWith is start that also adjusts the link.
func (r *rig) startWith(tweak func(*agent.Options), tweakLink func(*agent.Link)) *running {
	r.t.Helper()
	opts := agent.Options{
		DB:        r.db,
		Handler:   agent.Welcome{},
		Log:       r.log.With().Str("side", "agent").Logger(),
		Now:       time.Now,
		Retryable: modem.Retryable,
		RetryBase: 100 * time.Millisecond,
		RetryMax:  time.Second,
		Idle:      200 * time.Millisecond,
	}
	if tweak != nil {
		tweak(&opts)
	}
	a := agent.New(opts)
	link := agent.Link{
		Open: func() (io.ReadWriteCloser, error) { return serial.Open(r.vm.Link(), 115200) },
		Modem: modem.Options{
			Log:            r.log.With().Str("side", "modem").Logger(),
			Trace:          at.NewRedactor(io.MultiWriter(r.journal, traceLog{r.t})),
			CommandTimeout: 3 * time.Second,
			SendTimeout:    10 * time.Second,
			HealthInterval: time.Second,
			RegisterWait:   20 * time.Second,
			RebootWait:     5 * time.Second,
			RingGap:        time.Second,
			USSDTimeout:    10 * time.Second,
		},
		Receiver:  modem.ReceiverOptions{PollInterval: 200 * time.Millisecond},
		RetryBase: 100 * time.Millisecond,
		RetryMax:  time.Second,
	}
	if tweakLink != nil {
		tweakLink(&link)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ru := &running{a: a, cancel: cancel, done: make(chan error, 1)}
	go func() { ru.done <- a.Serve(ctx, link) }()
	r.t.Cleanup(func() { r.stop(ru) })
	return ru
}

// stop ends the agent and waits for Serve to return.
func (r *rig) stop(ru *running) {
	ru.once.Do(func() {
		ru.cancel()
		select {
		case err := <-ru.done:
			if err != nil {
				r.t.Errorf("agent.Serve: %v", err)
			}
		case <-time.After(deadline):
			r.t.Errorf("agent.Serve did not return after its context ended")
		}
	})
}

// waitModem waits until the agent has a modem that finished Init.
func (r *rig) waitModem(ru *running) *modem.Modem {
	r.t.Helper()
	var m *modem.Modem
	r.eventually("the modem ready", func() (bool, string) {
		m = ru.a.Modem()
		if m == nil {
			return false, "no modem"
		}
		return m.State() == modem.StateReady, m.State().String()
	})
	return m
}

// eventually polls cond until it holds or the deadline passes; cond says
// what it saw, for the failure message.
func (r *rig) eventually(what string, cond func() (bool, string)) {
	r.t.Helper()
	end := time.Now().Add(deadline)
	for {
		ok, saw := cond()
		if ok {
			return
		}
		if time.Now().After(end) {
			r.t.Fatalf("timed out waiting for %s; last saw: %s", what, saw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sms makes a phone send msg.
func (r *rig) sms(msg vmodem.SMS) vmodem.Delivery {
	r.t.Helper()
	d, err := r.vmc.DeliverSMS(r.ctx, msg)
	if err != nil {
		r.t.Fatalf("deliver sms from %s: %v", msg.From, err)
	}
	return d
}

// waitSent waits until at least n messages after seq went out and returns
// all of them.
func (r *rig) waitSent(seq, n int) []vmodem.Sent {
	r.t.Helper()
	end := time.Now().Add(deadline)
	for {
		got, err := r.vmc.WaitSent(r.ctx, seq, n, 5*time.Second)
		if err == nil && len(got) >= n {
			return got
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			r.t.Fatalf("wait for sent: %v", err)
		}
		if time.Now().After(end) {
			r.t.Fatalf("timed out waiting for %d sent messages; have %d: %+v", n, len(got), got)
		}
	}
}

// sent returns everything the agent sent so far.
func (r *rig) sent() []vmodem.Sent {
	r.t.Helper()
	got, err := r.vmc.Sent(r.ctx)
	if err != nil {
		r.t.Fatalf("sent: %v", err)
	}
	return got
}

// inbound lists every inbound message in the store, handled or not. Ids
// are dense: the inbox's own bbolt sequence hands them out.
func (r *rig) inbound() []store.Inbound {
	r.t.Helper()
	var all []store.Inbound
	for id := uint64(1); ; id++ {
		in, err := r.db.Inbound(id)
		if errors.Is(err, store.ErrNotFound) {
			return all
		}
		if err != nil {
			r.t.Fatalf("read inbound %d: %v", id, err)
		}
		all = append(all, in)
	}
}

// handledBy counts handled inbound messages per sender.
func (r *rig) handledBy() map[string]int {
	n := map[string]int{}
	for _, in := range r.inbound() {
		if in.Handled {
			n[in.From]++
		}
	}
	return n
}

// sentTo counts sent messages per recipient.
func sentTo(sent []vmodem.Sent) map[string]int {
	n := map[string]int{}
	for _, s := range sent {
		n[s.To]++
	}
	return n
}

// waitStorageEmpty waits until the modem holds no message.
func (r *rig) waitStorageEmpty() {
	r.t.Helper()
	r.eventually("modem storage emptied", func() (bool, string) {
		st, err := r.vmc.State(r.ctx)
		if err != nil {
			return false, err.Error()
		}
		return st.Storage.Used == 0 && st.Waiting == 0, fmt.Sprintf("used %d, waiting %d", st.Storage.Used, st.Waiting)
	})
}

// echo answers each message with the text that arrived, so a test can read
// on the sent log what the handler saw.
var echo = agent.HandlerFunc(func(tx *store.Tx, in store.Inbound) error {
	_, err := tx.Enqueue(store.Outbound{To: in.From, Text: in.Text, Priority: store.Reply})
	return err
})

// phone numbers of shoppers; each test uses its own so counts stay apart.
func phone(n int) string { return fmt.Sprintf("+9198765%05d", n) }

// short trims long texts in failure messages.
func short(s string) string {
	if len([]rune(s)) > 40 {
		return string([]rune(s)[:40]) + "..."
	}
	return s
}

// dump shows inbound messages in failure messages.
func dump(in []store.Inbound) string {
	var b strings.Builder
	for _, m := range in {
		fmt.Fprintf(&b, "[%d %s %s handled=%v parts=%d %q] ", m.ID, m.Channel, m.From, m.Handled, m.Parts, short(m.Text))
	}
	return b.String()
}

// smsFrom is a plain text message from a phone.
func smsFrom(from, text string) vmodem.SMS { return vmodem.SMS{From: from, Text: text} }

// journal keeps, in the order they happened, the agent's log entries and
// its AT trace, so a test can check that one came before the other and
// count commands. Both are written by the goroutine doing the work, right
// after (log) or right before (trace) the work, so their order is causal.
type journal struct {
	mu    sync.Mutex // guards following
	lines []string
}

func (j *journal) Write(p []byte) (int, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, l := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		j.lines = append(j.lines, l)
	}
	return len(p), nil
}

// count returns how many lines contain s, e.g. "-> AT+CMGS=".
func (j *journal) count(s string) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for _, l := range j.lines {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// first returns the position of the first line for which match holds, or
// -1.
func (j *journal) first(match func(string) bool) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i, l := range j.lines {
		if match(l) {
			return i
		}
	}
	return -1
}

// traceLog puts the AT trace in the test log.
type traceLog struct{ t *testing.T }

func (w traceLog) Write(p []byte) (int, error) {
	w.t.Logf("AT %s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
