package e2e

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem/at"
)

// deadline bounds every wait for an event.
const deadline = testtime.Deadline

// profiles are the modem models whose differences reach the agent: echo,
// first storage index, empty-slot answers, RSSI lines, USSD encodings.
var profiles = []string{"sim800", "huawei-e1752", "zte-k3565z", "generic"}

// onEveryProfile runs test once per profile, each on a rig of its own, all
// in parallel.
func onEveryProfile(t *testing.T, test func(t *testing.T, r *rig)) {
	t.Parallel()
	for _, profile := range profiles {
		t.Run(profile, func(t *testing.T) {
			t.Parallel()
			test(t, newRig(t, profile))
		})
	}
}

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
	os.Exit(testtime.RunNoLeaks(m))
}

// rig is one virtual modem with its control API and one store file; agents
// come and go on them.
type rig struct {
	t       *testing.T
	log     zerolog.Logger
	vm      *testkit.VModem
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

	r.reopenDBWith(store.Options{})
	t.Cleanup(func() { r.closeDB() })
	r.vm = testkit.StartVModem(t, vmodem.Config{Link: filepath.Join(dir, "modem"), Profile: profile,
		Log: log.Level(zerolog.InfoLevel).With().Str("side", "vmodem").Logger()})
	r.vmc, r.ctx = r.vm.Client, r.vm.Ctx
	return r
}

// closeDB checks the file's consistency and closes it.
func (r *rig) closeDB() {
	if r.db == nil {
		return
	}
	testkit.CheckBolt(r.t, r.db.Bolt())
	if err := r.db.Close(); err != nil {
		r.t.Errorf("close store: %v", err)
	}
	r.db = nil
}

// reopenDB closes the store file and opens it again, as a restarted
// process would.
func (r *rig) reopenDB() { r.reopenDBWith(store.Options{}) }

// reopenDBWith is reopenDB with store options (the logger is the rig's);
// it also opens the file the first time.
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
type running = testkit.Agent

// start runs an agent on the rig's modem through the real serial code
// until the test ends or Stop is called. tweak adjusts the options.
func (r *rig) start(tweak func(*agent.Options)) *running {
	r.t.Helper()
	return r.startWith(tweak, nil)
}

// startWith is start that also adjusts the link.
func (r *rig) startWith(tweak func(*agent.Options), tweakLink func(*agent.Link)) *running {
	r.t.Helper()
	opts := testkit.AgentOptions(r.db, agent.Welcome{}, r.log.With().Str("side", "agent").Logger())
	if tweak != nil {
		tweak(&opts)
	}
	link := testkit.Link(r.vm.Modem, r.log.With().Str("side", "modem").Logger())
	link.Modem.Trace = at.NewRedactor(io.MultiWriter(r.journal, traceLog{r.t}))
	link.Modem.USSDTimeout = 10 * time.Second
	if tweakLink != nil {
		tweakLink(&link)
	}
	return testkit.StartAgent(r.t, opts, link)
}

// eventually polls cond until it holds or the deadline passes; cond says
// what it saw, for the failure message.
func (r *rig) eventually(what string, cond func() (bool, string)) {
	r.t.Helper()
	testtime.Eventually(r.t, what, cond)
}

// soleSent waits until the sent log holds one entry and done holds for
// it, and returns it.
func (r *rig) soleSent(what string, done func(rec store.SentRecord) bool) store.SentRecord {
	r.t.Helper()
	var rec store.SentRecord
	r.eventually(what, func() (bool, string) {
		log, err := r.db.SentLog(0)
		if err != nil || len(log) != 1 {
			return false, fmt.Sprint(log, err)
		}
		rec = log[0]
		return done(rec), fmt.Sprintf("%+v", rec)
	})
	return rec
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
	j.lines = append(j.lines, strings.Split(strings.TrimRight(string(p), "\n"), "\n")...)
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
