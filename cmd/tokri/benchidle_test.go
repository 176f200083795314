package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/internal/testkit"
)

// TestBenchIdle runs tokri bench-idle briefly with the real binaries: the
// agent and central in a network namespace, every IP packet between them
// counted. The agent's own count, which its daily data cap spends, must
// agree with the IP level for both the sync rounds and the USSD relay's
// idle connection. Where no namespace can be made (not root, or a
// container), the command says so and succeeds, and so does the test.
func TestBenchIdle(t *testing.T) {
	dir := t.TempDir()
	tokri, central := filepath.Join(dir, "tokri"), filepath.Join(dir, "tokri-central")
	testkit.GoBuild(t, nil, "-o", tokri, ".")
	testkit.GoBuild(t, nil, "-o", central, "../tokri-central")
	out, err := exec.Command(tokri, "bench-idle", "--rounds", "2", "--interval", "5s", "--relay-pings", "1",
		"--relay-ping", "5s", "--central", central, "--catalog", "../../examples/kirana.csv").CombinedOutput()
	if err != nil {
		t.Fatalf("bench-idle: %v\n%s", err, out)
	}
	text := string(out)
	if strings.Contains(text, "skipped: unshare --net") {
		// Not root, or a container without the right: the command says
		// why and leaves the figure to BenchmarkIdleRound.
		t.Logf("no network namespace here:\n%s", text)
		return
	}
	levels := regexp.MustCompile(`(?m)^ +IP level +(\d+) B/\w+ .*\n +agent's count +(\d+) B/`).FindAllStringSubmatch(text, -1)
	if len(levels) != 2 {
		t.Fatalf("want the sync and relay figures, got %d:\n%s", len(levels), text)
	}
	for i, what := range []string{"sync round", "relay ping"} {
		ip, _ := strconv.Atoi(levels[i][1])
		agent, _ := strconv.Atoi(levels[i][2])
		if ip == 0 || agent < ip*9/10 || agent > ip*11/10 {
			t.Errorf("%s: agent counted %d B, the IP level %d B: want within 10%%\n%s", what, agent, ip, text)
		}
	}
	if !strings.Contains(text, "kept-alive connection") {
		t.Errorf("rounds 5s apart said to open a new connection each:\n%s", text)
	}
}
