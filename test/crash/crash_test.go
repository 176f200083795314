package crash

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/phone"
)

var (
	rounds = flag.Int("crash.n", 5, "how many times the agent is killed")
	seed   = flag.Uint64("crash.seed", 0, "random seed for kill instants (0: from the clock)")
	reboot = flag.Int("crash.reboots", 0, "modem brown-outs to inject (mid-read, mid-send, idle), spread over the rounds")
)

// brownOuts are the modem reboots the test injects. The modem comes back in
// text mode every time (profile sim800-text). Those whose SMS went out
// unanswered allow one duplicate each (outbound is at least once).
var brownOuts = []struct {
	name   string
	faults vmodem.Faults
	dupOK  bool
}{
	{"now", vmodem.Faults{Reboot: &vmodem.Reboot{Now: true}}, false},
	{"after a read", vmodem.Faults{Reboot: &vmodem.Reboot{Command: "+CMGR", Answered: true}}, false},
	{"during a read", vmodem.Faults{Reboot: &vmodem.Reboot{Command: "+CMGR"}}, false},
	{"during a send", vmodem.Faults{Reboot: &vmodem.Reboot{Command: "+CMGS"}}, false},
	{"sent, unanswered", vmodem.Faults{Reboot: &vmodem.Reboot{Command: "+CMGS", Effect: true}}, true},
}

// TestCrash kills the agent at random instants while messages flow, and
// with -crash.reboots browns the modem out as well, and checks the
// promises: no inbound lost, none acted on twice, and outbound duplicates
// only in the window between +CMGS and its commit (at most one per kill,
// and one per reboot that swallowed a sent SMS's answer).
func TestCrash(t *testing.T) {
	s := *seed
	if s == 0 {
		s = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -crash.seed=%d)", s, s)
	rng := rand.New(rand.NewPCG(s, 1))

	dir, err := os.MkdirTemp("", "tokri-crash-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !t.Failed() {
			os.RemoveAll(dir)
		} else {
			t.Logf("kept %s (agent logs, store)", dir)
		}
	})
	bin := buildAgent(t, dir)
	link := filepath.Join(dir, "modem")
	sim := startSim(t, bin, dir, link)
	cfg := writeConfig(t, dir, link)

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	// Shoppers text all through the test, each from their own number, so
	// every reply can be traced to the message it answers.
	var mu sync.Mutex
	var posted []string
	stop := make(chan struct{})
	sending := make(chan struct{})
	senderRng := rand.New(rand.NewPCG(s, 2)) // the kill loop owns rng
	go func() {
		defer close(sending)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(time.Duration(2+senderRng.IntN(8)) * time.Millisecond):
			}
			from := fmt.Sprintf("+9190%08d", i)
			// Some shoppers send long messages, so kills land between parts.
			text := "hi"
			if i%5 == 0 {
				text = strings.Repeat("2 atta 5kg, 1 toor dal, 1 mustard oil. ", 6)
			}
			if err := sim.SendSMS(ctx, vmodem.SMS{From: from, Text: text}); err != nil {
				t.Errorf("deliver sms: %v", err)
				return
			}
			mu.Lock()
			posted = append(posted, from)
			mu.Unlock()
		}
	}()

	kills, armed, dupOK := 0, 0, 0
	for r := 0; r < *rounds; r++ {
		a := startAgent(t, bin, cfg, dir, r)
		// This round's share of the brown-outs, armed at a random instant
		// while the agent runs; one armed on a command fires when the
		// agent (this one or a later one) next sends it.
		n := share(r+1, *reboot, *rounds) - share(r, *reboot, *rounds)
		for i := 0; i < n; i++ {
			time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
			b := brownOuts[rng.IntN(len(brownOuts))]
			if err := sim.SetFaults(ctx, b.faults); err != nil {
				t.Fatalf("arm brown-out %s: %v", b.name, err)
			}
			armed++
			if b.dupOK {
				dupOK++
			}
		}
		time.Sleep(time.Duration(150+rng.IntN(900)) * time.Millisecond)
		a.kill(t)
		kills++
	}
	close(stop)
	<-sending

	// A last agent drains what is left and shuts down cleanly.
	final := startAgent(t, bin, cfg, dir, *rounds)
	mu.Lock()
	want := append([]string(nil), posted...)
	mu.Unlock()
	sent := waitReplies(ctx, t, sim, want, func() { waitDrained(t, bin, dir) })
	final.terminate(t)
	st, err := sim.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reboots := st.Boots - 1
	if *reboot > 0 && reboots == 0 {
		t.Errorf("%d brown-outs armed and the modem never rebooted", armed)
	}

	db, err := store.Open(filepath.Join(dir, "data", "tokri.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log, err := db.SentLog(0)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := db.Stats(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for _, r := range log {
		stored[r.To]++
	}
	lost, twice, dups := 0, 0, 0
	for _, from := range want {
		switch n := stored[from]; {
		case n == 0:
			lost++
			t.Errorf("message from %s never answered: lost", phone.Mask(from))
		case n > 1:
			twice++
			t.Errorf("message from %s answered %d times: acted on twice", phone.Mask(from), n)
		}
		if sent[from] > stored[from] {
			dups += sent[from] - stored[from]
		}
	}
	pendingOut := stats.Queued[store.Reply] + stats.Queued[store.Notification] + stats.Queued[store.Bulk]
	allowed := kills + dupOK
	t.Logf("crash test: %d kills, %d modem reboots (%d armed), %d messages, lost %d, acted on twice %d, outbound duplicates %d (allowed <= %d), pending inbound %d, pending outbound %d",
		kills, reboots, armed, len(want), lost, twice, dups, allowed, stats.InboxPending, pendingOut)
	fmt.Printf("crash: kills=%d reboots=%d messages=%d lost=%d twice=%d outbound_duplicates=%d\n", kills, reboots, len(want), lost, twice, dups)
	if dups > allowed {
		t.Errorf("%d outbound duplicates after %d kills and %d unanswered sends: a duplicate outside the +CMGS-to-commit window", dups, kills, dupOK)
	}
	if stats.InboxPending != 0 || pendingOut != 0 {
		t.Errorf("work left after the final drain: %d inbound, %d outbound", stats.InboxPending, pendingOut)
	}
}

// share is how many of total events fall in the first k of n rounds.
func share(k, total, n int) int { return k * total / n }

// buildAgent compiles the tokri binary the test runs as real processes.
func buildAgent(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "tokri")
	testkit.GoBuild(t, nil, "-o", bin, "github.com/tokrihq/tokri/cmd/tokri")
	return bin
}

// startSim runs "tokri sim" and returns a client for its control API.
func startSim(t *testing.T, bin, dir, link string) *vmodem.Client {
	t.Helper()
	logf, err := os.Create(filepath.Join(dir, "sim.log"))
	if err != nil {
		t.Fatal(err)
	}
	// A SIM800 that powers up in text mode, so a brown-out brings it back
	// with the settings the agent must set again.
	cmd := exec.Command(bin, "sim", "--link", link, "--profile", "sim800-text", "--log-level", "warn")
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		logf.Close()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("tokri sim printed no control URL: %v", err)
	}
	return &vmodem.Client{BaseURL: strings.TrimSpace(line)}
}

func writeConfig(t *testing.T, dir, link string) string {
	t.Helper()
	path := filepath.Join(dir, "tokri.toml")
	cfg := fmt.Sprintf(`[modem]
port = %q
poll_interval = "2s"

[agent]
data = %q
log_level = "debug"
daily_cap = 1000000
`, link, filepath.Join(dir, "data"))
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type agentProc struct{ *testkit.Proc }

func startAgent(t *testing.T, bin, cfg, dir string, round int) agentProc {
	t.Helper()
	name := fmt.Sprintf("agent-%02d", round)
	return agentProc{testkit.StartProc(t, name, filepath.Join(dir, name+".log"), nil, bin, "run", "--config", cfg)}
}

// kill ends the agent with SIGKILL: no deferred function, no flush.
func (p agentProc) kill(t *testing.T) {
	t.Helper()
	select {
	case <-p.Exited():
		t.Fatalf("agent died on its own before the kill: %v", p.Err())
	default:
	}
	p.Kill()
}

// terminate asks the agent to stop, as systemd would.
func (p agentProc) terminate(t *testing.T) {
	t.Helper()
	if err := p.Stop(); err != nil {
		t.Errorf("agent did not stop cleanly on SIGTERM: %v", err)
	}
}

// waitReplies waits until the network has seen a reply to every number in
// want, and returns how many SMS each number received.
//
// Once every number has one, drained waits until the agent has nothing
// left to handle or send, so a duplicate still in flight is counted too.
func waitReplies(ctx context.Context, t *testing.T, phone *vmodem.Client, want []string, drained func()) map[string]int {
	t.Helper()
	waiting := map[string]bool{}
	for _, w := range want {
		waiting[w] = true
	}
	got := map[string]int{}
	seq := 0
	for len(waiting) > 0 {
		sent, err := phone.WaitSent(ctx, seq, 1, 5*time.Second)
		if ctx.Err() != nil {
			t.Fatalf("%d of %d shoppers still without a reply", len(waiting), len(want))
		}
		_ = err // a long poll that timed out just polls again
		for _, s := range sent {
			seq = s.Seq
			got[s.To]++
			delete(waiting, s.To)
		}
	}
	drained()
	rest, _ := phone.SentSince(ctx, seq)
	for _, s := range rest {
		got[s.To]++
	}
	return got
}

// waitDrained waits until the running agent's status shows nothing to
// handle and nothing to send: every message it will send has reached the
// network.
func waitDrained(t *testing.T, bin, dir string) {
	t.Helper()
	testtime.Eventually(t, "the agent's queues to empty", func() (bool, string) {
		out, err := exec.Command(bin, "status", "--data", filepath.Join(dir, "data"), "--json").Output()
		if err != nil {
			return false, err.Error()
		}
		var st admin.Status
		if err := json.Unmarshal(out, &st); err != nil {
			return false, err.Error()
		}
		q := st.Queues
		return st.Running && q.InboxPending == 0 && q.OutboxWaiting == 0, fmt.Sprintf("%+v", q)
	})
}
