package main

import (
	"testing"

	"github.com/tokrihq/tokri/internal/testkit"
)

// TestAgentLinksNoServerCode keeps the agent binary small enough for a Pi
// Zero: it must not link the central server, its storage or PostgreSQL's
// driver, which only tokri-central needs.
func TestAgentLinksNoServerCode(t *testing.T) {
	const why = "server-side code; keep it in tokri-central"
	testkit.NoDeps(t, "github.com/tokrihq/tokri/cmd/tokri", map[string]string{
		"github.com/tokrihq/tokri/sync/server":       why,
		"github.com/tokrihq/tokri/cmd/tokri-central": why,
		"github.com/jackc/":                          why,
		"github.com/lib/pq":                          why,
		"database/sql":                               why,
	})
}

// TestAgentLinksNoTerminalUI keeps every tokri command, the agent on a
// serial console included, from writing escape sequences to a terminal
// and waiting on its answer: the console's UI libraries load only in
// tokri-console.
func TestAgentLinksNoTerminalUI(t *testing.T) {
	testkit.NoDeps(t, "github.com/tokrihq/tokri/cmd/tokri", testkit.TerminalUI)
}
