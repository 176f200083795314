package modem

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem/at"
)

// steps lets each of the given timers fire in turn, waiting for the code
// to start each one first.
func (r *rig) steps(ds ...time.Duration) {
	r.t.Helper()
	if r.clock == nil { // in a bubble, each timer is armed once all are idle
		for _, d := range ds {
			testtime.Advance(d)
		}
		return
	}
	for i, d := range ds {
		if !r.clock.WaitAndAdvance(d, wait) {
			r.t.Fatalf("step %d: no %v timer", i, d)
		}
	}
}

// syncFails is the timer sequence of Init against a silent modem.
func syncFails() []time.Duration {
	var ds []time.Duration
	for i := 0; i < syncAttempts; i++ {
		ds = append(ds, syncTimeout)
		if i < syncAttempts-1 {
			ds = append(ds, syncPause)
		}
	}
	return ds
}

func TestHealthCheckNetworkLostAndBack(t *testing.T) {
	const interval = 61 * time.Second
	inBubble(t, nil, Options{HealthInterval: interval}, func(t *testing.T, r *rig) {
		r.init()
		r.drainEvents()
		r.sim.set(func(s *sim) { s.creg = []string{"2"}; s.csq = "7,99" })
		testtime.Advance(interval)
		e := r.event(EventNetworkLost)
		if e.Health.Registration != RegSearching || e.Health.Operator != "" {
			t.Errorf("health at network loss: %+v", e.Health)
		}
		r.sim.set(func(s *sim) { s.creg = []string{"5"} })
		testtime.Advance(interval)
		r.event(EventNetworkBack)
		if h := r.m.Health(); h.Registration != RegRoaming || h.Signal.Bars != 1 || h.Operator != "Vodafone IN" || h.State != StateReady {
			t.Errorf("health %+v", h)
		}
	})
}

// powerHook revives the sim when called, like a relay cutting power.
type powerHook struct {
	mu    sync.Mutex
	calls int
	sim   *sim
}

func (p *powerHook) PowerCycle(ctx context.Context) error {
	p.mu.Lock()
	p.calls++
	p.mu.Unlock()
	p.sim.set(func(s *sim) { s.silent = false })
	return nil
}

// A modem that stops answering is re-initialised, then reset with
// AT+CFUN=1,1, then power-cycled, waiting longer after each failure.
func TestRecoveryLadder(t *testing.T) {
	const interval = 61 * time.Second
	const boot = 31 * time.Second
	hook := &powerHook{}
	inBubble(t, nil, Options{HealthInterval: interval, RebootWait: boot, PowerCycle: hook}, func(t *testing.T, r *rig) {
		hook.sim = r.sim
		r.init()
		r.drainEvents()
		r.sim.set(func(s *sim) { s.silent = true })

		testtime.Advance(interval)
		r.steps(DefaultCommandTimeout, pingTimeout) // check: CSQ and AT time out
		r.event(EventUnresponsive)
		if s := r.m.State(); s != StateRecovering {
			t.Fatalf("state %v, want recovering", s)
		}
		r.steps(syncFails()...)          // 1: re-init fails
		r.steps(4500 * time.Millisecond) // back-off 5 s x0.9
		r.steps(pingTimeout, boot)       // 2: AT+CFUN=1,1, boot wait
		r.steps(syncFails()...)          //    re-init fails
		r.steps(9 * time.Second)         // back-off 10 s x0.9
		r.steps(boot)                    // 3: power cycle, boot wait; re-init works
		r.event(EventRecovered)
		if s := r.m.State(); s != StateReady {
			t.Fatalf("state %v, want ready", s)
		}
		if hook.calls != 1 {
			t.Errorf("power cycled %d times, want 1", hook.calls)
		}
		if !contains(r.sim.m.Commands(), "AT+CFUN=1,1") {
			t.Error("no soft reset before the power cycle")
		}
		if h := r.m.Health(); h.Recoveries != 1 {
			t.Errorf("recoveries = %d", h.Recoveries)
		}
	})
}

// Without a power hook the ladder is re-init and reset, round and round,
// with back-off growing to its cap: never a busy loop.
func TestRecoveryWithoutPowerBacksOff(t *testing.T) {
	const interval = 61 * time.Second
	const boot = 31 * time.Second
	inBubble(t, nil, Options{HealthInterval: interval, RebootWait: boot}, func(t *testing.T, r *rig) {
		r.init()
		r.sim.set(func(s *sim) { s.silent = true })
		testtime.Advance(interval)
		r.steps(DefaultCommandTimeout, pingTimeout)
		r.event(EventUnresponsive)
		waits := []time.Duration{4500 * time.Millisecond, 9 * time.Second, 18 * time.Second, 36 * time.Second}
		for i, w := range waits {
			if i%2 == 0 {
				r.steps(syncFails()...) // re-init
			} else {
				r.steps(pingTimeout, boot) // reset
				r.steps(syncFails()...)
			}
			r.steps(w)
		}
		// Alive again: the re-init under way gets its answer at its next
		// attempt.
		r.sim.set(func(s *sim) { s.silent = false })
		testtime.Advance(syncTimeout + syncPause)
		r.event(EventRecovered)
	})
}

func TestRebootBurstReinitsAndRescans(t *testing.T) {
	inBubble(t, nil, Options{}, func(t *testing.T, r *rig) {
		r.init()
		r.receive(&inbox{j: r.j}, poll)
		r.j.waitEntry(t, "AT+CMGL=4")
		r.drainEvents()
		// A message arrived while the modem was rebooting; no +CMTI for it.
		r.sim.store("SM", 3, 0, pduIndia)
		r.sim.m.Send("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nSMS Ready\r\n")
		r.event(EventRebooted)
		if s := r.m.State(); s == StateReady {
			t.Fatal("still ready after a reboot")
		}
		testtime.Advance(rebootSettle)
		r.event(EventReady)
		before(t, r.j.all(), accepted(pduIndia), "AT+CMGD=3")
		if n := r.j.count("ATE0"); n != 2 {
			t.Errorf("ATE0 sent %d times, want 2 (one re-init for the whole burst)", n)
		}
		if h := r.m.Health(); h.Reboots != 1 {
			t.Errorf("reboots = %d, want 1", h.Reboots)
		}
	})
}

// The port acts on a reboot's first line as it reads it; the same lines
// reach the dispatcher later, when the modem may be set up again. Those
// late copies drop the indications queued before them and nothing more:
// one reboot, one re-init.
func TestLateBootLinesDoNotRebootAgain(t *testing.T) {
	inBubble(t, nil, Options{}, func(t *testing.T, r *rig) {
		r.init()
		r.drainEvents()
		r.m.push(item{kind: itemStored, mem: "SM", index: 4})
		var wg sync.WaitGroup
		for _, u := range []at.URC{
			{Name: "RDY", Lines: []string{"RDY"}},
			{Name: "+CFUN", Lines: []string{"+CFUN: 1"}},
			{Name: "+CPIN", Lines: []string{"+CPIN: READY"}},
		} {
			r.m.onURC(context.Background(), u, &callTracker{}, &wg)
		}
		wg.Wait()
		if s, h := r.m.State(), r.m.Health(); s != StateReady || h.Reboots != 0 {
			t.Fatalf("late boot lines: state %v, %d reboots; want ready, none", s, h.Reboots)
		}
		if items := r.m.takeItems(); len(items) != 0 {
			t.Errorf("indications queued before the boot lines kept: %+v", items)
		}
	})
}

// A reboot the port reports between Init's last command and the modem
// being declared ready is not lost: the modem is set up once more.
func TestRebootAsInitEndsReinits(t *testing.T) {
	inBubble(t, nil, Options{}, func(t *testing.T, r *rig) {
		r.init()
		r.drainEvents()
		r.m.beginInit()
		r.m.portRebooted("RDY")
		if err := r.m.endInit(nil); err != nil {
			t.Fatal(err)
		}
		r.event(EventReady)
		r.event(EventRebooted)
		r.steps(rebootSettle)
		r.event(EventReady)
		if n := r.j.count("ATE0"); n != 2 {
			t.Errorf("ATE0 sent %d times, want 2 (set up again after the reboot)", n)
		}
	})
}

// A modem that keeps rebooting waits longer each time.
func TestRepeatedRebootsBackOff(t *testing.T) {
	inBubble(t, nil, Options{}, func(t *testing.T, r *rig) {
		r.init()
		r.drainEvents()
		for i, settle := range []time.Duration{rebootSettle, 3600 * time.Millisecond, 7200 * time.Millisecond} {
			r.sim.m.Send("\r\nRDY\r\n")
			r.event(EventRebooted)
			r.steps(settle)
			r.event(EventReady)
			if n := r.j.count("ATE0"); n != i+2 {
				t.Fatalf("after reboot %d: ATE0 sent %d times", i+1, n)
			}
		}
	})
}

// Huawei's ^BOOT is a heartbeat, not a reboot.
func TestHuaweiBootIsNotAReboot(t *testing.T) {
	inBubble(t, nil, Options{}, func(t *testing.T, r *rig) {
		r.init()
		r.drainEvents()
		r.sim.m.Send("\r\n^BOOT:48175390,0,0,0,89\r\n\r\n^RSSI:9\r\n\r\n^BOOT:48175390,0,0,0,89\r\n\r\n^RSSI:25\r\n")
		e := r.event(EventSignal)
		for e.Health.Signal.CSQ != 25 {
			e = r.event(EventSignal)
		}
		if r.m.State() != StateReady || r.m.Health().Reboots != 0 {
			t.Fatalf("^BOOT taken for a reboot: %+v", r.m.Health())
		}
	})
}

// nRF91: an unsolicited +CMS ERROR: 524 drops SMS registration; Init
// sets +CNMI again.
func TestUnsolicitedSMSErrorReinits(t *testing.T) {
	inBubble(t, nil, Options{}, func(t *testing.T, r *rig) {
		r.init()
		r.drainEvents()
		r.sim.m.Send("\r\n+CMS ERROR: 524\r\n")
		r.event(EventRebooted)
		testtime.Advance(rebootSettle)
		r.event(EventReady)
		if n := r.j.count("AT+CNMI=2,1,0,1,0"); n != 2 {
			t.Errorf("AT+CNMI sent %d times, want 2", n)
		}
	})
}

// A modem that rebooted without a boot line this package knows (Huawei,
// ZTE) echoes commands again: the health check notices and re-inits. One
// whose echo survives ATE0 is not re-initialised for ever.
func TestEchoBackMeansReboot(t *testing.T) {
	const interval = 61 * time.Second
	inBubble(t, nil, Options{HealthInterval: interval}, func(t *testing.T, r *rig) {
		r.init()
		r.drainEvents()
		r.sim.m.SetEcho(true) // the reboot: echo is back on, and stays on
		testtime.Advance(interval)
		r.event(EventRebooted)
		testtime.Advance(rebootSettle)
		r.event(EventReady)
		cops := r.j.count("AT+COPS?")
		testtime.Advance(interval)
		if r.j.count("AT+COPS?") == cops {
			t.Fatal("no health check after the re-init")
		}
		if h := r.m.Health(); h.Reboots != 1 || h.State != StateReady {
			t.Errorf("health %+v, want one reboot and ready", h)
		}
	})
}

// A modem that is silent when the agent starts is recovered by the
// supervisor: Init failed with ErrNoResponse, so the ladder goes as far as
// the power cycle.
func TestSilentAtStartIsRecovered(t *testing.T) {
	const interval = 61 * time.Second
	const boot = 31 * time.Second
	hook := &powerHook{}
	inBubble(t, func(s *sim) { s.silent = true }, Options{HealthInterval: interval, RebootWait: boot, PowerCycle: hook}, func(t *testing.T, r *rig) {
		hook.sim = r.sim
		start := time.Now()
		if err := r.initThrough(syncFails()...); err == nil {
			t.Fatal("Init of a silent modem succeeded")
		}
		testtime.Advance(time.Until(start.Add(interval))) // the first health check
		r.event(EventUnresponsive)
		r.steps(syncFails()...)          // re-init
		r.steps(4500 * time.Millisecond) // back-off
		r.steps(pingTimeout, boot)       // reset
		r.steps(syncFails()...)
		r.steps(9 * time.Second)
		r.steps(boot) // power cycle revives it
		r.event(EventRecovered)
		if hook.calls != 1 || r.m.State() != StateReady {
			t.Errorf("power cycles %d, state %v", hook.calls, r.m.State())
		}
	})
}
