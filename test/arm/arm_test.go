package arm

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit"
)

var armBin = flag.String("arm.bin", "", "a prebuilt linux/arm GOARM=6 tokri (default: build one)")

// qemuNames are where Debian's qemu-user-static and qemu-user put the
// 32-bit ARM emulator.
var qemuNames = []string{"qemu-arm-static", "qemu-arm"}

func TestARMv6OrderSurvivesKill(t *testing.T) {
	qemu := findQemu(t)
	dir := t.TempDir()
	native := build(t, dir, "tokri-native", nil)
	arm := *armBin
	if arm == "" {
		arm = build(t, dir, "tokri-armv6", []string{"GOOS=linux", "GOARCH=arm", "GOARM=6"})
	}
	out, err := exec.Command(qemu, arm, "version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "linux/arm/v6") {
		t.Fatalf("%s %s version: %v: %s", qemu, arm, err, out)
	}

	vm := testkit.StartVModem(t, vmodem.Config{})
	data := filepath.Join(dir, "data")
	cfg := writeConfig(t, dir, vm.Link(), data)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	if err := os.MkdirAll(data, 0o750); err != nil {
		t.Fatal(err)
	}
	// The catalog goes into the store file with the ARM binary itself,
	// while no agent runs.
	if out, err := exec.Command(qemu, arm, "catalog", "import", "--config", cfg, filepath.Join("..", "..", "examples", "kirana.csv")).CombinedOutput(); err != nil {
		t.Fatalf("catalog import under qemu: %v: %s", err, out)
	}

	nat := start(t, dir, "native", []string{native, "run", "--config", cfg})
	nativeReady := nat.waitReady(t)
	nat.terminate(t)

	a := start(t, dir, "armv6-1", []string{qemu, arm, "run", "--config", cfg})
	qemuReady := a.waitReady(t)
	t.Logf("cold start to modem ready: armv6 under qemu %v, native %v", qemuReady.Round(time.Millisecond), nativeReady.Round(time.Millisecond))
	fmt.Printf("arm: cold start armv6/qemu=%v native=%v\n", qemuReady.Round(time.Millisecond), nativeReady.Round(time.Millisecond))

	const shopper = "+919811110001"
	seq := 0
	say := func(text, want string) {
		t.Helper()
		if err := vm.Client.SendSMS(ctx, vmodem.SMS{From: shopper, Text: text}); err != nil {
			t.Fatalf("send %q: %v", text, err)
		}
		seq = waitReply(ctx, t, vm.Client, seq, shopper, want)
	}
	say("2 aashirvaad atta 5kg", "Cart")
	say("PICKUP", "NO to change")

	// The order's YES reaches the modem and the agent dies at once: the
	// message is either still on the SIM or committed with its reply.
	if err := vm.Client.SendSMS(ctx, vmodem.SMS{From: shopper, Text: "YES"}); err != nil {
		t.Fatal(err)
	}
	a.kill(t)

	b := start(t, dir, "armv6-2", []string{qemu, arm, "run", "--config", cfg})
	b.waitReady(t)
	seq = waitReply(ctx, t, vm.Client, seq, shopper, "placed")
	say("STATUS", "waiting for the shop")
	b.terminate(t)

	// On the store file, with the agent down: one order, not two.
	out, err = exec.Command(qemu, arm, "orders", "list", "--json", "--config", cfg).CombinedOutput()
	if err != nil {
		t.Fatalf("orders list: %v: %s", err, out)
	}
	var list []map[string]any
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatalf("orders list --json: %v: %s", err, out)
	}
	if len(list) != 1 {
		t.Fatalf("%d orders after kill and restart, want exactly 1: %s", len(list), out)
	}
	sent, err := vm.Client.Sent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	placed := 0
	for _, s := range sent {
		if strings.Contains(s.Text, "placed") {
			placed++
		}
	}
	if placed != 1 {
		t.Errorf("the shopper heard %d times that the order was placed, want once", placed)
	}
}

func findQemu(t *testing.T) string {
	t.Helper()
	for _, n := range qemuNames {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Fatalf("no ARM emulator (%s) on PATH: run scripts/ensure-tools as root or apt-get install qemu-user-static", strings.Join(qemuNames, ", "))
	return ""
}

// build compiles the agent for env (nil: this machine), static as make
// dist builds it.
func build(t *testing.T, dir, name string, env []string) string {
	t.Helper()
	bin := filepath.Join(dir, name)
	testkit.GoBuild(t, append([]string{"CGO_ENABLED=0"}, env...), "-trimpath", "-o", bin, "github.com/tokrihq/tokri/cmd/tokri")
	return bin
}

func writeConfig(t *testing.T, dir, port, data string) string {
	t.Helper()
	path := filepath.Join(dir, "tokri.toml")
	cfg := fmt.Sprintf(`[modem]
port = %q
poll_interval = "1s"

[agent]
data = %q
log_level = "info"
daily_cap = 1000
timezone = "Asia/Kolkata"

[shop]
name = "Sharma Kirana"
opens = "00:00"
closes = "00:00"
pickup = true
payments = ["cod"]
language = "en"
`, port, data)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// proc is one agent process; its log lines go to a file, and the test
// learns when the modem is ready.
type proc struct {
	*testkit.Proc
	ready chan struct{}
	at    time.Duration // exec to "modem ready"
}

func start(t *testing.T, dir, name string, argv []string) *proc {
	t.Helper()
	p := &proc{ready: make(chan struct{})}
	t.Cleanup(func() { // after the kill, as cleanups run last first
		if t.Failed() && p.Proc != nil {
			t.Logf("%s log:\n%s", name, p.Output(t))
		}
	})
	started := time.Now()
	seen := false
	p.Proc = testkit.StartProc(t, name, filepath.Join(dir, name+".log"), func(line string) {
		if !seen && strings.Contains(line, `"modem ready"`) {
			seen = true
			p.at = time.Since(started)
			close(p.ready)
		}
	}, argv...)
	return p
}

func (p *proc) waitReady(t *testing.T) time.Duration {
	t.Helper()
	select {
	case <-p.ready:
		return p.at
	case <-p.Exited():
		t.Fatalf("agent exited before the modem was ready: %v", p.Err())
	case <-time.After(90 * time.Second):
		t.Fatal("modem not ready after 90 s")
	}
	return 0
}

// kill ends the agent with SIGKILL: no deferred function, no flush.
func (p *proc) kill(t *testing.T) { p.Kill() }

// terminate stops the agent as systemd would, and wants a clean exit.
func (p *proc) terminate(t *testing.T) {
	t.Helper()
	if err := p.Stop(); err != nil {
		t.Errorf("agent did not stop cleanly on SIGTERM: %v", err)
	}
}

// waitReply waits for the next SMS to shopper after seq and wants it to
// contain want; it returns the last sequence number seen.
func waitReply(ctx context.Context, t *testing.T, phone *vmodem.Client, seq int, shopper, want string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		sent, err := phone.WaitSent(ctx, seq, 1, 5*time.Second)
		if ctx.Err() != nil {
			t.Fatalf("no reply containing %q", want)
		}
		_ = err // a long poll that timed out polls again
		for _, s := range sent {
			seq = s.Seq
			if s.To == shopper && strings.Contains(s.Text, want) {
				return seq
			}
			t.Logf("reply while waiting for %q: %q", want, s.Text)
		}
	}
}
