package modem_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/hardware/serial"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem"
	"github.com/tokrihq/tokri/modem/at"
	"github.com/tokrihq/tokri/modem/pdu"
)

// e2eWait bounds each step against the virtual modem.
const e2eWait = 20 * time.Second

const shopper = "+919812345678"

// e2eInbox collects what the Receiver hands over.
type e2eInbox struct {
	mu     sync.Mutex
	pdus   [][]byte
	calls  []string
	notify chan struct{}
}

func newE2EInbox() *e2eInbox { return &e2eInbox{notify: make(chan struct{}, 1)} }

func (in *e2eInbox) AcceptPDU(ctx context.Context, raw []byte, at time.Time) error {
	in.mu.Lock()
	in.pdus = append(in.pdus, append([]byte(nil), raw...))
	in.mu.Unlock()
	in.poke()
	return nil
}

func (in *e2eInbox) MissedCall(ctx context.Context, from string, at time.Time) error {
	in.mu.Lock()
	in.calls = append(in.calls, from)
	in.mu.Unlock()
	in.poke()
	return nil
}

func (in *e2eInbox) poke() {
	select {
	case in.notify <- struct{}{}:
	default:
	}
}

// waitFor blocks until cond holds (checked under the lock).
func (in *e2eInbox) waitFor(t *testing.T, what string, cond func(in *e2eInbox) bool) {
	t.Helper()
	deadline := time.After(e2eWait)
	for {
		in.mu.Lock()
		done := cond(in)
		in.mu.Unlock()
		if done {
			return
		}
		select {
		case <-in.notify:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestVirtualModem runs the driver over a real pty, opened through
// hardware/serial, against each profile of the virtual modem: Init, Info,
// store-then-delete receive, SendPDU, USSD, a missed call and a reboot.
func TestVirtualModem(t *testing.T) {
	for _, profile := range []string{"sim800", "huawei-e1752", "zte-k3565z", "generic"} {
		t.Run(profile, func(t *testing.T) { runVirtualModem(t, profile) })
	}
}

func runVirtualModem(t *testing.T, profile string) {
	testtime.NoLeaks(t) // first, so it checks after the virtual modem has stopped
	log := zerolog.New(zerolog.NewTestWriter(t))
	vm := testkit.StartVModem(t, vmodem.Config{Profile: profile, Log: log.With().Str("side", "vmodem").Logger()})
	client := vm.Client

	port, err := serial.Open(vm.Link(), 115200)
	if err != nil {
		t.Fatalf("serial.Open: %v", err)
	}
	// Read only once the modem has stopped: its loop is the one writer.
	var trace strings.Builder
	// A short health interval lets a reboot without boot lines (Huawei,
	// ZTE) be noticed by its echo coming back.
	m := modem.New(port, modem.Options{Log: log, Trace: at.NewRedactor(&trace), HealthInterval: 300 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := m.Run(ctx); err != nil {
			t.Errorf("modem.Run: %v", err)
		}
	}()
	in := newE2EInbox()
	rc := modem.NewReceiver(m, in, modem.ReceiverOptions{PollInterval: time.Hour})
	stop := sync.OnceFunc(func() {
		cancel()
		wg.Wait()
	})
	defer stop()

	step, stepCancel := context.WithTimeout(ctx, e2eWait)
	defer stepCancel()
	if err := m.Init(step); err != nil {
		t.Fatalf("Init: %v", err)
	}
	info, err := m.Info(step)
	if err != nil {
		t.Fatalf("Info: %v", err)
	}
	if info.Manufacturer == "" || len(info.IMEI) != 15 || !info.Registration.Registered() || info.Storage.Total == 0 {
		t.Errorf("Info = %+v", info)
	}
	t.Logf("modem %s %s, IMEI %s, %d bars, %s", info.Manufacturer, info.Model, modem.MaskIMEI(info.IMEI), info.Signal.Bars, info.Operator)

	// A message waiting in storage before the receiver starts, then one
	// that arrives while it runs.
	if err := client.SendSMS(step, vmodem.SMS{From: shopper, Text: "2 kg atta"}); err != nil {
		t.Fatalf("SendSMS: %v", err)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := rc.Run(ctx); err != nil {
			t.Errorf("Receiver.Run: %v", err)
		}
	}()
	in.waitFor(t, "the stored message", func(in *e2eInbox) bool { return len(in.pdus) >= 1 })
	if err := client.SendSMS(step, vmodem.SMS{From: shopper, Text: "and 1 l oil"}); err != nil {
		t.Fatalf("SendSMS: %v", err)
	}
	in.waitFor(t, "the indicated message", func(in *e2eInbox) bool { return len(in.pdus) >= 2 })
	in.mu.Lock()
	got := append([][]byte(nil), in.pdus...)
	in.mu.Unlock()
	for i, want := range []string{"2 kg atta", "and 1 l oil"} {
		msg, err := pdu.Decode(got[i])
		if err != nil {
			t.Fatalf("decode received %d: %v", i, err)
		}
		if msg.Addr != shopper || msg.Text != want {
			t.Errorf("received %d: from %q text %q", i, msg.Addr, msg.Text)
		}
	}
	waitStorageEmpty(t, step, client)

	// Send.
	enc, err := pdu.EncodeSubmit(shopper, "Order 17: 2 kg atta, 1 l oil. Total Rs 310.", pdu.SubmitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mr, err := m.SendPDU(step, enc.TPDUs[0])
	if err != nil {
		t.Fatalf("SendPDU: %v", err)
	}
	sent, err := client.WaitSent(step, 0, 1, e2eWait)
	if err != nil {
		t.Fatalf("WaitSent: %v", err)
	}
	if s := sent[0]; s.To != shopper || s.Text != "Order 17: 2 kg atta, 1 l oil. Total Rs 310." || len(s.MRs) != 1 || s.MRs[0] != mr {
		t.Errorf("sent %+v, mr %d", s, mr)
	}

	// USSD.
	if err := client.SetUSSD(step, vmodem.USSD{Code: "*123#", Reply: "Main balance Rs 42.50"}); err != nil {
		t.Fatalf("SetUSSD: %v", err)
	}
	rep, err := m.USSD(step, "*123#")
	if err != nil {
		t.Fatalf("USSD: %v", err)
	}
	if rep.Text != "Main balance Rs 42.50" {
		t.Errorf("USSD = %+v", rep)
	}

	// A missed call.
	if err := client.Call(step, shopper); err != nil {
		t.Fatalf("Call: %v", err)
	}
	in.waitFor(t, "the missed call", func(in *e2eInbox) bool { return len(in.calls) >= 1 })
	if in.calls[0] != shopper {
		t.Errorf("missed call from %q", in.calls[0])
	}

	// A reboot: the driver notices (by boot lines, or by the echo coming
	// back), re-initialises and still receives.
	{
		readyAgain := watchReady(m)
		if err := client.Reboot(step); err != nil {
			t.Fatalf("Reboot: %v", err)
		}
		if err := readyAgain(e2eWait); err != nil {
			t.Fatal(err)
		}
		if err := client.SendSMS(step, vmodem.SMS{From: shopper, Text: "after reboot"}); err != nil {
			t.Fatalf("SendSMS: %v", err)
		}
		in.waitFor(t, "a message after the reboot", func(in *e2eInbox) bool { return len(in.pdus) >= 3 })
		waitStorageEmpty(t, step, client)
	}

	// The trace is safe to keep: no phone number, no PDU.
	stop()
	tr := trace.String()
	if testing.Verbose() {
		t.Logf("AT trace:\n%s", tr)
	}
	if strings.Contains(tr, "9812345678") || strings.Contains(tr, "atta") {
		t.Errorf("trace leaks personal data:\n%s", tr)
	}
	if !strings.Contains(tr, "-> AT+CMGS=") {
		t.Errorf("trace misses the traffic:\n%s", tr)
	}
}

// watchReady returns a function that waits for a reboot followed by
// readiness.
func watchReady(m *modem.Modem) func(time.Duration) error {
	for {
		select {
		case <-m.Events():
			continue
		default:
		}
		break
	}
	return func(d time.Duration) error {
		deadline := time.After(d)
		rebooted := false
		for {
			select {
			case e := <-m.Events():
				switch {
				case e.Kind == modem.EventRebooted:
					rebooted = true
				case e.Kind == modem.EventReady && rebooted:
					return nil
				}
			case <-deadline:
				return errors.New("no reboot and re-initialisation")
			}
		}
	}
}

func waitStorageEmpty(t *testing.T, ctx context.Context, c *vmodem.Client) {
	t.Helper()
	testtime.Eventually(t, "the storage emptied", func() (bool, string) {
		st, err := c.State(ctx)
		if err != nil {
			t.Fatalf("State: %v", err)
		}
		return st.Storage.Used == 0, fmt.Sprintf("%+v", st.Storage)
	})
}
