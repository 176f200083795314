package doctor_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/doctor"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit"
)

// rig is a store's config pointing at a virtual modem and a fresh data
// directory.
func rig(t *testing.T, vcfg vmodem.Config) (*testkit.VModem, doctor.Options) {
	t.Helper()
	vm := testkit.StartVModem(t, vcfg)
	cfg := config.Default()
	cfg.Modem.Port = vm.Link()
	cfg.Agent.Data = t.TempDir()
	return vm, doctor.Options{ConfigPath: "tokri.toml", Config: cfg, Log: testkit.Log(t), ModemTimeout: 30 * time.Second}
}

func byName(t *testing.T, checks []doctor.Check) map[string]doctor.Check {
	t.Helper()
	m := map[string]doctor.Check{}
	for _, c := range checks {
		if c.Result == doctor.Fail && c.Fix == "" {
			t.Errorf("%s failed without a fix: %+v", c.Name, c)
		}
		m[c.Name] = c
	}
	return m
}

func want(t *testing.T, got map[string]doctor.Check, name string, res doctor.Result, detail string) {
	t.Helper()
	c, ok := got[name]
	if !ok {
		t.Errorf("no %q check", name)
		return
	}
	if c.Result != res || !strings.Contains(c.Detail, detail) {
		t.Errorf("%s = %s %q (fix %q), want %s containing %q", name, c.Result, c.Detail, c.Fix, res, detail)
	}
}

func TestHealthyStore(t *testing.T) {
	_, o := rig(t, vmodem.Config{})
	checks := doctor.Run(context.Background(), o)
	got := byName(t, checks)
	for _, n := range []string{"config", "data", "disk", "port", "port owner", "modem", "sim", "network", "signal", "smsc", "clock"} {
		want(t, got, n, doctor.OK, "")
	}
	want(t, got, "sync", doctor.Skip, "alone")
	want(t, got, "admin", doctor.Warn, "not running")
	if doctor.Failed(checks) {
		t.Errorf("a healthy store failed: %+v", checks)
	}
	var b strings.Builder
	doctor.Print(&b, checks)
	if lines := strings.Count(b.String(), "\n"); lines < len(checks) {
		t.Errorf("Print wrote %d lines for %d checks", lines, len(checks))
	}
}

func TestNoSIM(t *testing.T) {
	vm, o := rig(t, vmodem.Config{})
	absent := false
	if err := vm.Client.SetSIM(vm.Ctx, vmodem.SIM{Present: &absent}); err != nil {
		t.Fatal(err)
	}
	got := byName(t, doctor.Run(context.Background(), o))
	want(t, got, "modem", doctor.OK, "answers")
	want(t, got, "sim", doctor.Fail, "no SIM")
	want(t, got, "network", doctor.Skip, "")
}

func TestNoSMSC(t *testing.T) {
	vm, o := rig(t, vmodem.Config{})
	none := ""
	if err := vm.Client.SetSIM(vm.Ctx, vmodem.SIM{SMSC: &none}); err != nil {
		t.Fatal(err)
	}
	got := byName(t, doctor.Run(context.Background(), o))
	want(t, got, "smsc", doctor.Fail, "")
}

// TestClockOff has the system clock (the injected one) two hours behind
// the network's time that the virtual modem reports.
func TestClockOff(t *testing.T) {
	_, o := rig(t, vmodem.Config{})
	o.Now = func() time.Time { return time.Now().Add(-2 * time.Hour) }
	got := byName(t, doctor.Run(context.Background(), o))
	want(t, got, "clock", doctor.Warn, "2h0m0s off")
}

// TestPortHeldByAnother has another program keep the modem's port open,
// as ModemManager or a getty would.
func TestPortHeldByAnother(t *testing.T) {
	vm, o := rig(t, vmodem.Config{})
	f, err := os.OpenFile(vm.Link(), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sleep", "60")
	cmd.Stdin = f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	got := byName(t, doctor.Run(context.Background(), o))
	want(t, got, "port owner", doctor.Fail, "sleep (pid")
	want(t, got, "modem", doctor.Skip, "")
}

func TestBadConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokri.toml")
	os.WriteFile(path, []byte("[modem]\nport = \n"), 0o600)
	_, err := config.Load(path)
	if err == nil {
		t.Fatal("config.Load took a broken file")
	}
	o := doctor.Options{ConfigPath: path, Config: config.Default(), ConfigErr: err}
	o.Config.Agent.Data = t.TempDir()
	got := byName(t, doctor.Run(context.Background(), o))
	want(t, got, "config", doctor.Fail, "tokri.toml:2:")
	want(t, got, "port", doctor.Fail, "no modem port")
}

func TestAdminSocketOpenToAll(t *testing.T) {
	_, o := rig(t, vmodem.Config{})
	path := filepath.Join(o.Config.Agent.Data, admin.SocketName)
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	os.Chmod(path, 0o666)
	got := byName(t, doctor.Run(context.Background(), o))
	want(t, got, "admin", doctor.Fail, "open to every user")
	os.Chmod(path, 0o660)
	got = byName(t, doctor.Run(context.Background(), o))
	want(t, got, "admin", doctor.OK, "answers")
}
