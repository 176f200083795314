// Package systemtest starts the whole running system for end-to-end tests.
// It is apart from testkit because it imports agent/system, which imports
// the agent packages whose own tests use testkit.
package systemtest

import (
	"testing"

	"github.com/tokrihq/tokri/agent/system"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/seed"
)

// Start builds the running system from o, as tokri run does, on vm
// through the real serial code with Quick's timeouts, and runs it until
// the test ends or the returned Agent's Stop. Its store and admin socket
// are in a seed.ShortDir; the store is checked with CheckBolt before it
// closes.
func Start(t testing.TB, vm *testkit.VModem, o system.Options) (*system.System, *testkit.Agent) {
	t.Helper()
	o.Config.Agent.Data, o.Config.Modem.Port = seed.ShortDir(t), vm.Link()
	o.Link = testkit.Quick
	sys, err := system.New(o)
	if err != nil {
		t.Fatalf("system.New: %v", err)
	}
	t.Cleanup(func() {
		testkit.CheckBolt(t, sys.DB.Bolt())
		if err := sys.Close(); err != nil {
			t.Errorf("close the system: %v", err)
		}
	})
	return sys, testkit.NewAgent(t, sys.Agent, seed.Serve(t, sys.Run))
}
