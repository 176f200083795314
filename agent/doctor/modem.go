package doctor

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/hardware/serial"
	"github.com/tokrihq/tokri/modem"
)

// netTime is what the modem said about the network's time.
type netTime struct {
	t   time.Time // zero when unknown
	err error     // why it is unknown
}

// modem checks the modem and its SIM: it answers, a SIM is in and
// unlocked, registration, signal, the SMS centre. With the agent holding
// the port it asks the agent instead.
func (r *report) modem(ctx context.Context, o Options, agent *holder) netTime {
	names := []string{"modem", "sim", "network", "signal", "smsc"}
	last := r.checks[len(r.checks)-1]
	if last.Name == "port owner" && last.Result == Fail || !r.has("port", OK) {
		for _, n := range names {
			r.skip(n, "needs the port")
		}
		return netTime{err: errors.New("no modem")}
	}
	if agent != nil {
		return r.modemFromAgent(ctx, o)
	}
	ctx, cancel := context.WithTimeout(ctx, o.ModemTimeout)
	defer cancel()
	port, err := serial.Open(o.Config.Modem.Port, o.Config.Modem.Baud)
	if err != nil {
		r.fail("modem", "cannot open the port: "+err.Error(), "check modem.port and modem.baud")
		for _, n := range names[1:] {
			r.skip(n, "needs the modem")
		}
		return netTime{err: err}
	}
	defer port.Close()
	m := modem.New(port, modem.Options{
		Log:            o.Log,
		PIN:            o.Config.Modem.PIN,
		CommandTimeout: 5 * time.Second,
		RegisterWait:   10 * time.Second,
	})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx) }()
	defer func() { stop(); <-done }()

	if err := m.Init(ctx); err != nil {
		r.initFailed(err)
		return netTime{err: err}
	}
	info, _ := m.Info(ctx)
	r.addf("modem", OK, "", "answers: %s %s", info.Manufacturer, info.Model)
	r.ok("sim", "present and unlocked")
	r.registration(info.Registration, info.Operator)
	r.signal(info.Signal)
	smsc, err := m.SMSC(ctx)
	switch {
	case err != nil:
		r.fail("smsc", "unreadable: "+err.Error(), "set it: tokri modem ... or AT+CSCA=\"+91...\" from your operator's SMS centre number")
	case smsc == "":
		r.fail("smsc", "no SMS centre on the SIM: nothing can be sent", "ask the operator for the SMS centre number and set it with AT+CSCA, or try the SIM in a phone once")
	default:
		r.ok("smsc", "SMS centre set")
	}
	m.EnableNetworkTime(ctx)
	t, err := m.NetworkTime(ctx)
	return netTime{t: t, err: err}
}

// initFailed turns the modem's start-up error into lines with fixes.
func (r *report) initFailed(err error) {
	skipRest := func(from int) {
		for _, n := range []string{"modem", "sim", "network", "signal", "smsc"}[from:] {
			r.skip(n, "needs the modem")
		}
	}
	switch {
	case errors.Is(err, modem.ErrNoSIM):
		r.ok("modem", "answers")
		r.fail("sim", "no SIM card", "power off, insert the SIM (contacts down, cut corner as marked), power on")
		skipRest(2)
	case errors.Is(err, modem.ErrPINRequired):
		r.ok("modem", "answers")
		r.fail("sim", "the SIM asks for a PIN: "+err.Error(), "set modem.pin in the config, or remove the PIN in a phone")
		skipRest(2)
	case errors.Is(err, modem.ErrPUKRequired):
		r.ok("modem", "answers")
		r.fail("sim", "the SIM is locked (PUK)", "unlock it in a phone with the PUK from the SIM's card, then put it back")
		skipRest(2)
	default:
		r.fail("modem", "does not answer: "+err.Error(), "check the modem's power (a SIM800 wants 2 A) and cable, and modem.baud; then tokri modem info")
		skipRest(1)
	}
}

func (r *report) registration(reg modem.Registration, operator string) {
	if reg.Registered() {
		r.addf("network", OK, "", "registered (%s) on %s", reg, operator)
		return
	}
	r.addf("network", Fail, "check the antenna, the SIM's validity (recharge), and that the operator covers this place", "not registered (%s)", reg)
}

func (r *report) signal(s modem.Signal) {
	detail := fmt.Sprintf("%d bars (%d dBm)", s.Bars, s.DBm)
	switch {
	case s.CSQ == 99 || s.Bars == 0:
		r.fail("signal", "no signal", "attach the antenna; move the modem near a window")
	case s.Bars == 1:
		r.warn("signal", detail, "weak: move the modem or its antenna higher, near a window")
	default:
		r.ok("signal", detail)
	}
}

// modemFromAgent reads the modem's health from the running agent's
// status, since only one program may use the port.
func (r *report) modemFromAgent(ctx context.Context, o Options) netTime {
	c := admin.Dial(filepath.Join(o.Config.Agent.Data, admin.SocketName))
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st, err := c.Status(ctx)
	if err != nil {
		r.fail("modem", "the agent holds the port but its status is unreadable: "+err.Error(), "sudo systemctl restart tokri; journalctl -u tokri")
		return netTime{err: err}
	}
	ms := st.Modem
	if ms.State != "ready" {
		detail := "the agent reports the modem " + ms.State
		if ms.LastError != "" {
			detail += ": " + ms.LastError
		}
		r.fail("modem", detail, "journalctl -u tokri -e shows why; check power and cable")
		r.skip("sim", "needs the modem")
	} else {
		r.ok("modem", "ready (asked the running agent)")
		r.ok("sim", "ready (the agent would not be up otherwise)")
	}
	reg := modem.RegNotRegistered
	if ms.Registered {
		reg = modem.RegHome
	}
	r.registration(reg, ms.Operator)
	r.signal(modem.Signal{CSQ: ms.CSQ, DBm: ms.DBm, Bars: ms.Bars})
	r.skip("smsc", "checked only with the agent stopped")
	if st.Clock != nil && !st.Clock.Checked.IsZero() {
		// The agent's time is the network's when it has corrected the
		// system clock, and agrees with the system clock otherwise.
		return netTime{t: st.Clock.Now}
	}
	return netTime{err: errors.New("the agent has not read the network's time yet")}
}

// has reports whether a check named name ended with res.
func (r *report) has(name string, res Result) bool {
	for _, c := range r.checks {
		if c.Name == name {
			return c.Result == res
		}
	}
	return false
}
