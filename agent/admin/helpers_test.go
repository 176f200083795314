package admin

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit/seed"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

func testLog(t *testing.T) zerolog.Logger { return zerolog.New(zerolog.NewTestWriter(t)) }

// agentStatus stands in for the agent's Status func.
func agentStatus() Status {
	return Status{
		Version:   "test",
		StartedAt: seed.Now.Add(-3 * time.Hour),
		Modem: ModemStatus{State: "ready", Registration: "registered, home", Registered: true,
			Operator: "Airtel", SIM: "ready", CSQ: 21, DBm: -71, Bars: 3},
		Queues: Queues{DailyCap: 200},
	}
}

// startAgent serves the admin API of db on <dir>/tokri.sock until the test
// ends, and waits until it answers.
func startAgent(t *testing.T, dir string, db *store.DB) string {
	t.Helper()
	return startAgentWith(t, dir, Options{DB: db, Cache: catalog.NewCache(), Status: agentStatus, Log: testLog(t), Now: seed.Clock})
}

// dialAgent starts the admin server on db and returns a client of it,
// closed when the test ends.
func dialAgent(t *testing.T, dir string, db *store.DB) *Client {
	t.Helper()
	c := Dial(startAgent(t, dir, db))
	t.Cleanup(func() { c.Close() })
	return c
}

// seededAgent serves testkit's seeded shop and returns a client of it,
// closed when the test ends, and the seeded orders' IDs.
func seededAgent(t *testing.T) (c *Client, first, second string) {
	t.Helper()
	dir, db := seed.Data(t)
	first, second = seed.Shop(t, db)
	return dialAgent(t, dir, db), first, second
}

// startAgentWith is startAgent with the server's options given.
func startAgentWith(t *testing.T, dir string, opts Options) string {
	t.Helper()
	sock := filepath.Join(dir, SocketName)
	srv := NewServer(opts)
	seed.Serve(t, func(ctx context.Context) error { return srv.Serve(ctx, sock) })
	testtime.Until(t, "the socket to answer", func() bool { return probe(sock) == nil })
	return sock
}
