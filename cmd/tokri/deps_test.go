package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestAgentLinksNoServerCode keeps the agent binary small enough for a Pi
// Zero: it must not link the central server, its storage or PostgreSQL's
// driver, which only tokri-central needs.
func TestAgentLinksNoServerCode(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/tokrihq/tokri/cmd/tokri").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	forbidden := []string{
		"github.com/tokrihq/tokri/sync/server",
		"github.com/tokrihq/tokri/cmd/tokri-central",
		"github.com/jackc/",
		"github.com/lib/pq",
		"database/sql",
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps printed only %d packages: %q", len(deps), out)
	}
	for _, dep := range deps {
		if dep == "database/sql/driver" {
			// A few interfaces (Valuer, Scanner) that the console's
			// colour library implements; database/sql itself stays out.
			continue
		}
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, strings.TrimSuffix(f, "/")+"/") || (strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f)) {
				t.Errorf("the agent links %s (server-side code; keep it in tokri-central)", dep)
			}
		}
	}
}
