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

// TestCentralLinksNoAgentSide keeps the agent's running parts out of the
// server: it reads a catalog CSV as the agent does (agent/catalog, over
// the store's types), and nothing more. Measurements that need both sides
// are tests and benchmarks (sync/e2e).
func TestCentralLinksNoAgentSide(t *testing.T) {
	const why = "the agent's side; measure both ends together in sync/e2e, not in the server binary"
	testkit.NoDeps(t, "github.com/tokrihq/tokri/cmd/tokri-central", map[string]string{
		"github.com/tokrihq/tokri/agent/uplink":   why,
		"github.com/tokrihq/tokri/agent/orders":   why,
		"github.com/tokrihq/tokri/agent/shop":     why,
		"github.com/tokrihq/tokri/agent/shoppers": why,
		"github.com/tokrihq/tokri/agent/system":   why,
		"github.com/tokrihq/tokri/modem/at":       why, // and the modem driver over it
	})
}
