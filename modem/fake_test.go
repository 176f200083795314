package modem

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem/at/attest"
)

// wait is the real-time limit for things that should happen at once.
const wait = 10 * time.Second

var epoch = time.Date(2026, 1, 9, 17, 38, 30, 0, time.UTC)

// journal records, in order, what the modem was asked and what the inbox
// was given, so tests can check that a delete follows its accept.
type journal struct {
	mu      sync.Mutex
	entries []string
	notify  chan struct{}
}

func newJournal() *journal { return &journal{notify: make(chan struct{})} }

func (j *journal) add(s string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = append(j.entries, s)
	close(j.notify)
	j.notify = make(chan struct{})
}

func (j *journal) all() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]string(nil), j.entries...)
}

// waitFor blocks until an entry satisfies ok and returns all entries.
func (j *journal) waitFor(t *testing.T, what string, ok func(string) bool) []string {
	t.Helper()
	deadline := time.After(wait)
	for {
		j.mu.Lock()
		entries := append([]string(nil), j.entries...)
		ch := j.notify
		j.mu.Unlock()
		for _, e := range entries {
			if ok(e) {
				return entries
			}
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("timed out waiting for %s; journal:\n%s", what, strings.Join(j.all(), "\n"))
		}
	}
}

func (j *journal) waitEntry(t *testing.T, want string) []string {
	t.Helper()
	return j.waitFor(t, want, func(e string) bool { return e == want })
}

// count returns how many entries equal s.
func (j *journal) count(s string) int {
	n := 0
	for _, e := range j.all() {
		if e == s {
			n++
		}
	}
	return n
}

// stored is a message in the fake's storage.
type simMsg struct {
	stat int
	pdu  string
}

// sim is a scripted modem behind attest.Modem: it answers the init
// sequence, keeps SMS storage, and lets a test override any command.
type sim struct {
	t  *testing.T
	j  *journal
	m  *attest.Modem
	mu sync.Mutex
	// knobs (guarded by mu)
	manufacturer string
	cpin         []string // successive +CPIN? answers (status text); the last repeats
	creg         []string // successive +CREG? stats; the last repeats
	csq          string
	cops         string
	cscs         string
	cmgfFails    int
	silent       bool
	override     map[string]string // command -> full reply
	hook         func(cmd string) (string, bool)
	mems         map[string]map[int]simMsg
	mem          string
	mr           int
	pin          string
}

func newSim(t *testing.T, j *journal) *sim {
	s := &sim{
		t: t, j: j,
		manufacturer: "SIMCOM_Ltd",
		cpin:         []string{"READY"},
		creg:         []string{"1"},
		csq:          "20,99",
		cops:         `0,0,"Vodafone IN",2`,
		cscs:         "IRA",
		override:     map[string]string{},
		mems:         map[string]map[int]simMsg{"SM": {}, "ME": {}, "SR": {}},
		mem:          "SM",
		mr:           64,
	}
	s.m = attest.NewModem(s.respond)
	return s
}

func ok(lines ...string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("\r\n" + l + "\r\n")
	}
	b.WriteString("\r\nOK\r\n")
	return b.String()
}

func (s *sim) set(f func(s *sim)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *sim) store(mem string, idx, stat int, pdu string) {
	s.set(func(s *sim) { s.mems[mem][idx] = simMsg{stat, pdu} })
}

func (s *sim) stored(mem string) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int
	for i := range s.mems[mem] {
		out = append(out, i)
	}
	sort.Ints(out)
	return out
}

func next(list *[]string) string {
	v := (*list)[0]
	if len(*list) > 1 {
		*list = (*list)[1:]
	}
	return v
}

func tpduLen(pdu string) int {
	if len(pdu) < 2 {
		return 0
	}
	var smsc int
	fmt.Sscanf(pdu[:2], "%02X", &smsc)
	return len(pdu)/2 - 1 - smsc
}

func (s *sim) respond(cmd string) string {
	if s.j != nil {
		s.j.add(cmd)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.silent {
		return ""
	}
	if s.hook != nil {
		if r, ok := s.hook(cmd); ok {
			return r
		}
	}
	if r, ok := s.override[cmd]; ok {
		return r
	}
	switch {
	case cmd == "<ESC>":
		return ""
	case cmd == "AT" || cmd == "ATE0" || cmd == "AT+CMEE=1" || cmd == "AT+CLIP=1" || cmd == "ATH" ||
		cmd == "AT+CUSD=2" || strings.HasPrefix(cmd, "AT+CNMI=") || cmd == "AT^CURC=0" || cmd == "AT+CFUN=1,1":
		return ok()
	case cmd == "AT+CGMI":
		return ok(s.manufacturer)
	case cmd == "AT+CGMM":
		return ok("SIM800 R14.18")
	case cmd == "AT+CGMR":
		return ok("Revision:1418B04SIM800L24")
	case cmd == "AT+CGSN":
		return ok("866234032345678")
	case cmd == "AT+CPIN?":
		st := next(&s.cpin)
		if strings.HasPrefix(st, "+CME") {
			return "\r\n" + st + "\r\n"
		}
		return ok("+CPIN: " + st)
	case strings.HasPrefix(cmd, "AT+CPIN="):
		if s.pin != "" && cmd != fmt.Sprintf(`AT+CPIN="%s"`, s.pin) {
			return "\r\n+CME ERROR: 16\r\n"
		}
		s.cpin = []string{"READY"}
		return ok()
	case cmd == "AT+CSQ":
		return ok("+CSQ: " + s.csq)
	case cmd == "AT+CREG?":
		return ok("+CREG: 0," + next(&s.creg))
	case cmd == "AT+CEREG?":
		return ok("+CEREG: 0,0")
	case cmd == "AT+COPS?":
		return ok("+COPS: " + s.cops)
	case cmd == "AT+CSCS?":
		return ok(`+CSCS: "` + s.cscs + `"`)
	case cmd == "AT+CMGF=0":
		if s.cmgfFails > 0 {
			s.cmgfFails--
			return "\r\nERROR\r\n"
		}
		return ok()
	case cmd == "AT+CMGF?":
		return ok("+CMGF: 0")
	case strings.HasPrefix(cmd, "AT+CPMS="):
		mem := strings.Trim(strings.Split(strings.TrimPrefix(cmd, "AT+CPMS="), ",")[0], `"`)
		if _, ok := s.mems[mem]; !ok {
			return "\r\n+CMS ERROR: 302\r\n"
		}
		s.mem = mem
		n := len(s.mems[mem])
		return ok(fmt.Sprintf("+CPMS: %d,30,%d,30,%d,30", n, n, n))
	case cmd == "AT+CPMS?":
		n := len(s.mems[s.mem])
		return ok(fmt.Sprintf(`+CPMS: "%s",%d,30,"%s",%d,30,"%s",%d,30`, s.mem, n, s.mem, n, s.mem, n))
	case cmd == "AT+CMGL=4":
		var idx []int
		for i := range s.mems[s.mem] {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		var lines []string
		for _, i := range idx {
			msg := s.mems[s.mem][i]
			lines = append(lines, fmt.Sprintf("+CMGL: %d,%d,,%d", i, msg.stat, tpduLen(msg.pdu)), msg.pdu)
		}
		return ok(lines...)
	case strings.HasPrefix(cmd, "AT+CMGR="):
		var i int
		fmt.Sscanf(cmd, "AT+CMGR=%d", &i)
		msg, found := s.mems[s.mem][i]
		if !found {
			return "\r\n+CMS ERROR: 321\r\n"
		}
		return ok(fmt.Sprintf("+CMGR: %d,,%d", msg.stat, tpduLen(msg.pdu)), msg.pdu)
	case strings.HasPrefix(cmd, "AT+CMGD="):
		var i int
		fmt.Sscanf(cmd, "AT+CMGD=%d", &i)
		delete(s.mems[s.mem], i)
		return ok()
	case strings.HasPrefix(cmd, "AT+CMGS="):
		return "\r\n> "
	case strings.HasSuffix(cmd, "<SUB>"):
		s.mr++
		return ok(fmt.Sprintf("+CMGS: %d", s.mr))
	case strings.HasPrefix(cmd, "AT+CUSD=1"):
		return ok()
	case strings.HasPrefix(cmd, "AT+CNMA"):
		return ok()
	}
	return "\r\nERROR\r\n"
}

// inbox records what it is given, and can be told to fail.
type inbox struct {
	j        *journal
	mu       sync.Mutex
	acceptFn func(raw []byte) error
	pdus     [][]byte
	calls    []string
}

func (in *inbox) AcceptPDU(ctx context.Context, raw []byte, at time.Time) error {
	in.mu.Lock()
	fn := in.acceptFn
	in.mu.Unlock()
	if fn != nil {
		if err := fn(raw); err != nil {
			in.j.add(fmt.Sprintf("refuse %X", raw))
			return err
		}
	}
	in.mu.Lock()
	in.pdus = append(in.pdus, append([]byte(nil), raw...))
	in.mu.Unlock()
	in.j.add(fmt.Sprintf("accept %X", raw))
	return nil
}

func (in *inbox) MissedCall(ctx context.Context, from string, at time.Time) error {
	in.mu.Lock()
	in.calls = append(in.calls, from)
	in.mu.Unlock()
	in.j.add(fmt.Sprintf("call %s at %s", from, at.Format(time.TimeOnly)))
	return nil
}

func (in *inbox) set(fn func(raw []byte) error) {
	in.mu.Lock()
	in.acceptFn = fn
	in.mu.Unlock()
}

var _ Inbox = (*inbox)(nil)

// rig is a Modem running over a sim, with a fake clock or, made by
// inBubble, on the clock of a testing/synctest bubble.
type rig struct {
	t      *testing.T
	j      *journal
	sim    *sim
	clock  *testtime.Clock // nil in a bubble
	m      *Modem
	cancel context.CancelFunc
	done   chan error
}

// newRig starts a Modem over a fresh sim; adjust is applied to the sim
// before the modem starts, opts to the options.
func newRig(t *testing.T, adjust func(*sim), opts Options) *rig {
	t.Helper()
	testtime.NoLeaks(t)
	return simRig(t, adjust, opts, testtime.NewClock(epoch))
}

// inBubble runs f in a testing/synctest bubble whose clock starts at epoch,
// on a rig made as newRig makes one but on the bubble's clock: the test
// moves time with testtime.Advance, which returns once the modem has done
// all it does by then. The bubble checks that no goroutine outlives it.
func inBubble(t *testing.T, adjust func(*sim), opts Options, f func(*testing.T, *rig)) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Until(epoch))
		f(t, simRig(t, adjust, opts, nil))
	})
}

func simRig(t *testing.T, adjust func(*sim), opts Options, clock *testtime.Clock) *rig {
	j := newJournal()
	s := newSim(t, j)
	if adjust != nil {
		s.set(adjust)
	}
	r := startRig(t, s.m, j, opts, clock)
	r.sim = s
	return r
}

// startRig runs a Modem over the fake modem am, on clock unless it is nil.
func startRig(t *testing.T, am *attest.Modem, j *journal, opts Options, clock *testtime.Clock) *rig {
	t.Helper()
	opts.Log = zerolog.New(zerolog.NewTestWriter(t))
	if clock != nil {
		opts.Now = clock.Now
		opts.After = clock.After
	}
	if opts.HealthInterval == 0 {
		opts.HealthInterval = time.Hour // health tests set their own
	}
	if opts.Jitter == nil {
		opts.Jitter = func() float64 { return 0.25 } // back-off x0.9: 4.5 s, 9 s... distinct from other timers
	}
	r := &rig{t: t, j: j, clock: clock, done: make(chan error, 1)}
	r.m = New(am, opts)
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- r.m.Run(ctx) }()
	t.Cleanup(r.stop)
	return r
}

func (r *rig) stop() {
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(wait):
		r.t.Error("Modem.Run did not return")
	}
}

// init runs Init and fails the test on error.
func (r *rig) init() {
	r.t.Helper()
	if err := r.m.Init(context.Background()); err != nil {
		r.t.Fatalf("Init: %v", err)
	}
}

// initThrough runs Init while the given timers fire in turn (see steps)
// and returns what Init returned.
func (r *rig) initThrough(ds ...time.Duration) error {
	r.t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- r.m.Init(context.Background()) }()
	r.steps(ds...)
	return <-errc
}

// receive starts a Receiver until the test ends.
func (r *rig) receive(in *inbox, poll time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	rc := NewReceiver(r.m, in, ReceiverOptions{PollInterval: poll})
	go func() { done <- rc.Run(ctx) }()
	r.t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				r.t.Errorf("Receiver.Run: %v", err)
			}
		case <-time.After(wait):
			r.t.Error("Receiver.Run did not return")
		}
	})
}

// drainEvents discards the events so far.
func (r *rig) drainEvents() {
	for {
		select {
		case <-r.m.Events():
		default:
			return
		}
	}
}

// event waits for an event of kind k. In a bubble it does not wait: once
// the test has moved the clock, what was due by then has happened.
func (r *rig) event(k EventKind) Event {
	r.t.Helper()
	deadline := time.After(wait)
	if r.clock == nil {
		synctest.Wait()
		deadline = nil
	}
	for {
		select {
		case e := <-r.m.Events():
			if e.Kind == k {
				return e
			}
			continue
		default:
		}
		if deadline == nil {
			r.t.Fatalf("no %s event", k)
		}
		select {
		case e := <-r.m.Events():
			if e.Kind == k {
				return e
			}
		case <-deadline:
			r.t.Fatalf("no %s event", k)
		}
	}
}
