package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/backup"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/command"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// TestWrongSystemClockUsesNetworkTime boots the agent as a Pi after a
// power cut with no internet: its system clock (injected) is 9 hours
// behind. The virtual modem reports the network's time by NITZ; the agent
// must take it for shop hours and order times, and say so in status.
func TestWrongSystemClockUsesNetworkTime(t *testing.T) {
	testtime.NoLeaks(t)
	ist := time.FixedZone("IST", 5*3600+1800)
	network := testtime.NewClock(time.Date(2026, 12, 7, 11, 0, 0, 0, ist)) // shop open
	vm := testkit.StartVModem(t, vmodem.Config{Now: network.Now})
	wrong := -9 * time.Hour // 02:00: the shop would be closed
	system := func() time.Time { return network.Now().Add(wrong) }

	cfgPath, c, ctx := startAgentOn(t, vm, filepath.Join(t.TempDir(), "data"), system, nil)
	var st admin.Status
	testtime.Eventually(t, "the agent to take the network's time", func() (bool, string) {
		var err error
		st, err = c.Status(ctx)
		if err != nil || st.Clock == nil {
			return false, fmt.Sprint(err)
		}
		return st.Clock.Corrected, st.Clock.Line()
	})
	if !strings.Contains(st.Clock.Line(), "WRONG by 9h0m0s") {
		t.Errorf("status clock line %q, want it to say the clock is 9 h wrong", st.Clock.Line())
	}
	if d := st.Now.Sub(network.Now()); d > time.Minute || d < -time.Minute {
		t.Errorf("status time %v, want the network's %v", st.Now, network.Now())
	}
	if !st.Shop.Open {
		t.Error("shop hours read from the wrong clock: closed at 11:00 network time")
	}

	const shopper = "+919811110001"
	seq := 0
	for _, text := range []string{"2 aashirvaad atta 5kg", "PICKUP", "YES"} {
		if err := vm.Client.SendSMS(ctx, vmodem.SMS{From: shopper, Text: text}); err != nil {
			t.Fatal(err)
		}
		// The next text goes once this one is answered, as a shopper types.
		testtime.Eventually(t, "the reply to "+text, func() (bool, string) {
			sent, err := vm.Client.SentSince(ctx, seq)
			for _, s := range sent {
				seq = s.Seq
				if s.To == shopper {
					return true, ""
				}
			}
			return false, fmt.Sprint(len(sent), err)
		})
	}
	var list []orders.Order
	testtime.Eventually(t, "the order", func() (bool, string) {
		var err error
		list, err = c.Orders(ctx, orders.Filter{})
		return err == nil && len(list) == 1, fmt.Sprint(len(list), err)
	})
	if d := list[0].CreatedAt.Sub(network.Now()); d > time.Minute || d < -time.Minute {
		t.Errorf("order created at %v, want the network's time %v (system clock says %v)", list[0].CreatedAt, network.Now(), system())
	}

	// An online backup through the running agent holds the order.
	bak := filepath.Join(t.TempDir(), "tokri-backup.db")
	if err := run(ctx, []string{"backup", "--config", cfgPath, bak}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := backup.Check(bak); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if b, _ := os.ReadFile(bak); !bytes.Contains(b, []byte(list[0].ID)) {
		t.Errorf("order %s is not in the backup", list[0].ID)
	}
}

// startAgentOn runs "tokri run" in this process on vm, with the example
// catalog, its store in data and the given system clock, until the test
// ends. It returns the config's path and a client of its admin socket.
//
// The agent logs to the test, and to also when it is not nil.
func startAgentOn(t *testing.T, vm *testkit.VModem, data string, system func() time.Time, also io.Writer) (string, *admin.Client, context.Context) {
	t.Helper()
	cfgPath := filepath.Join(t.TempDir(), "tokri.toml")
	cfg := fmt.Sprintf(`[modem]
port = %q
poll_interval = "1s"
health_interval = "5s"

[agent]
data = %q
timezone = "Asia/Kolkata"

[shop]
name = "Sharma Kirana"
opens = "08:00"
closes = "21:00"
pickup = true
payments = ["cod"]
`, vm.Link(), data)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(data, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"catalog", "import", "--config", cfgPath, filepath.Join(testkit.RepoRoot(t), "examples", "kirana.csv")}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var logTo io.Writer = testWriter{t}
	if also != nil {
		logTo = io.MultiWriter(logTo, also)
	}
	agentMain := &RunMain{system: system, logTo: logTo}
	if err := command.Parse(agentMain, "tokri run", []string{"--config", cfgPath}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- agentMain.Run(ctx) }()
	c := admin.Dial(filepath.Join(data, admin.SocketName))
	t.Cleanup(func() {
		c.Close()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("agent: %v", err)
		}
		agentMain.Close()
	})
	return cfgPath, c, ctx
}

// testWriter sends the agent's log lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
