package testkit

import (
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// NoDeps fails t for every package that pkg links (go list -deps) which
// is one of forbidden's keys or under it (a key ending in "/" is a
// prefix); the key's value says why it must stay out. A binary that must
// stay small or quiet keeps its promise this way when an import is added.
func NoDeps(t testing.TB, pkg string, forbidden map[string]string) {
	t.Helper()
	for _, dep := range depsOf(t, pkg) {
		for f, why := range forbidden {
			if dep == f || strings.HasPrefix(dep, strings.TrimSuffix(f, "/")+"/") {
				t.Errorf("%s links %s: %s", pkg, dep, why)
			}
		}
	}
}

// TerminalUI are the console's terminal UI libraries. bubbletea asks the
// terminal for its background colour and cursor when it is loaded (an
// escape sequence, then up to 5 s waiting for an answer), so only
// tokri-console may link them.
var TerminalUI = map[string]string{
	"github.com/charmbracelet/": "the console's terminal UI library probes the terminal at start; keep it in cmd/tokri-console",
	"github.com/muesli/termenv": "the console's terminal library; keep it in cmd/tokri-console",
}

// listed caches go list's answer per package: a binary's tests ask it
// for the same package once per rule.
var listed struct {
	sync.Mutex
	deps map[string][]string
}

func depsOf(t testing.TB, pkg string) []string {
	t.Helper()
	listed.Lock()
	defer listed.Unlock()
	if deps, ok := listed.deps[pkg]; ok {
		return deps
	}
	out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps %s printed only %d packages: %q", pkg, len(deps), out)
	}
	if listed.deps == nil {
		listed.deps = map[string][]string{}
	}
	listed.deps[pkg] = deps
	return deps
}
