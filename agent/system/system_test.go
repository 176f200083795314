package system_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/system"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/seed"
	"github.com/tokrihq/tokri/internal/testkit/systemtest"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// The system built from a config answers on its admin socket with what
// its parts report: the shop from the config, the modem on the virtual
// modem's pty, and the USSD listener on the port :0 chose.
func TestSystemAnswersWithItsParts(t *testing.T) {
	testtime.NoLeaks(t)
	vm := testkit.StartVModem(t, vmodem.Config{Log: testkit.Log(t)})
	cfg := config.Default()
	cfg.Shop = testkit.ShopConfig(t, "")
	cfg.USSD.Listen, cfg.USSD.Token = "127.0.0.1:0", "tok"
	sys, a := systemtest.Start(t, vm, system.Options{Config: cfg, Log: testkit.Log(t)})
	a.WaitModem()
	if strings.HasSuffix(sys.USSDAddr, ":0") || sys.USSDAddr == "" {
		t.Errorf("USSDAddr = %q, want the port chosen", sys.USSDAddr)
	}
	c := admin.Dial(sys.Socket)
	defer c.Close()
	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Modem.State != "ready" || st.Shop.Hours != "08:00-21:00" || st.Queues.DailyCap != cfg.Agent.DailyCap || st.Clock == nil || st.Disk == nil {
		t.Errorf("status = %+v", st)
	}
}

// A config New cannot build leaves nothing open: the store it had opened
// is closed again, so the next New on the same directory opens it.
func TestNewThatFailsClosesTheStore(t *testing.T) {
	testtime.NoLeaks(t)
	cfg := config.Default()
	cfg.Agent.Data, cfg.Modem.Port = seed.ShortDir(t), filepath.Join(t.TempDir(), "no-modem")
	cfg.USSD.Listen = "127.0.0.1:-1"
	if _, err := system.New(system.Options{Config: cfg, Log: testkit.Log(t)}); err == nil || !strings.Contains(err.Error(), "ussd listen") {
		t.Fatalf("New with a bad listen address: %v", err)
	}
	cfg.USSD.Listen = ""
	sys, err := system.New(system.Options{Config: cfg, Log: testkit.Log(t)})
	if err != nil {
		t.Fatalf("New after a failed New: %v", err)
	}
	if err := sys.Close(); err != nil {
		t.Error(err)
	}
}

// The day's summary goes by the system's clock, the one corrected by the
// network, not the machine's: with that clock just past closing time the
// operator gets the summary of that day, whatever the machine's time.
func TestDaySummaryFollowsTheSystemClock(t *testing.T) {
	testtime.NoLeaks(t)
	vm := testkit.StartVModem(t, vmodem.Config{Log: testkit.Log(t)})
	cfg := config.Default()
	cfg.Shop = testkit.ShopConfig(t, "")
	// 21:05 in the shop (India) on Monday 2 March, five minutes after
	// the summary's default time.
	clk := testtime.NewClock(time.Date(2026, 3, 2, 15, 35, 0, 0, time.UTC))
	_, a := systemtest.Start(t, vm, system.Options{Config: cfg, SystemClock: clk.Now, Log: testkit.Log(t)})
	a.WaitModem()
	sent, err := vm.Client.WaitSent(vm.Ctx, 0, 1, testtime.Deadline)
	if err != nil {
		t.Fatalf("no summary sent: %v", err)
	}
	if s := sent[0]; s.To != testkit.Operator || !strings.Contains(s.Text, "02 Mar") {
		t.Errorf("sent %q to %s, want the summary of 02 Mar to the operator", s.Text, s.To)
	}
}
