package main

import (
	"testing"

	"github.com/tokrihq/tokri/internal/testkit"
)

// TestCentralLinksNoTerminalUI keeps the server, run on a terminal or by
// systemd, from probing the terminal as the console's libraries do.
func TestCentralLinksNoTerminalUI(t *testing.T) {
	testkit.NoDeps(t, "github.com/tokrihq/tokri/cmd/tokri-central", testkit.TerminalUI)
}
