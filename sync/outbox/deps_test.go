package outbox_test

import (
	"testing"

	"github.com/tokrihq/tokri/internal/testkit"
)

// The sync packages are what the agent and central share; the agent's side
// of sync lives in agent/uplink, so no sync package reaches into the agent.
func TestSyncLinksNothingOfTheAgent(t *testing.T) {
	testkit.NoDeps(t, "github.com/tokrihq/tokri/sync/...", map[string]string{
		"github.com/tokrihq/tokri/agent/": "sync is shared with central; the agent's side of it is agent/uplink",
	})
}
