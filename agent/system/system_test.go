package system_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

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
