package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/server/boltstore"
	"github.com/tokrihq/tokri/sync/server/pgstore"
	"github.com/tokrihq/tokri/sync/server/storetest"
	"github.com/tokrihq/tokri/sync/wire"
)

// writeCounter is a Storage that counts the calls that write a store's data.
type writeCounter struct {
	server.Storage
	writes atomic.Int64
}

func (c *writeCounter) Push(ctx context.Context, store string, recs []server.Record, now time.Time) (server.PushResult, error) {
	c.writes.Add(1)
	return c.Storage.Push(ctx, store, recs, now)
}

// replayAcross sends a signed push through first, then the same request,
// byte for byte, through second, a new server instance over the same data:
// it must be refused as a replay and write nothing.
func replayAcross(t *testing.T, st1 server.Storage, second func() server.Storage) {
	ctx := context.Background()
	now := func() time.Time { return t0 }
	logger := zerolog.New(zerolog.NewTestWriter(t))
	sec, _ := wire.GenerateSecret()
	if err := st1.AddStore(ctx, "a", sec, t0); err != nil {
		t.Fatal(err)
	}
	srv1 := httptest.NewServer(server.New(server.Options{Storage: st1, Log: logger, Now: now}))
	push := pushOf(t, storetest.OrderRecord(t, 1, "ACDEF", "ATTA", 1, 26500, t0))
	req, _, err := wire.NewRequest(ctx, "POST", srv1.URL, wire.PathOutbox, push, "a", sec, t0)
	if err != nil {
		t.Fatal(err)
	}
	replay := req.Clone(ctx)
	replay.Body, _ = req.GetBody()
	if _, err := wire.ReadResponse(mustDo(t, srv1.Client(), req), nil); err != nil {
		t.Fatal(err)
	}
	srv1.Close()

	st2 := &writeCounter{Storage: second()}
	srv2 := httptest.NewServer(server.New(server.Options{Storage: st2, Log: logger, Now: now}))
	defer srv2.Close()
	u, _ := url.Parse(srv2.URL)
	replay.URL.Host, replay.Host = u.Host, u.Host
	_, err = wire.ReadResponse(mustDo(t, srv2.Client(), replay), nil)
	wantCode(t, err, wire.CodeReplay)
	if n := st2.writes.Load(); n != 0 {
		t.Fatalf("the replay reached Push %d times", n)
	}
	// A fresh request to the new server still works.
	var resp wire.PushResponse
	req, _, _ = wire.NewRequest(ctx, "POST", srv2.URL, wire.PathOutbox, push, "a", sec, t0)
	if _, err := wire.ReadResponse(mustDo(t, srv2.Client(), req), &resp); err != nil || len(resp.Acked) != 1 || !resp.Acked[0].Duplicate {
		t.Fatalf("fresh push after the replay = %+v, %v", resp, err)
	}
}

func mustDo(t *testing.T, c *http.Client, req *http.Request) *http.Response {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestReplayAfterRestartBolt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "central.db")
	st1, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	replayAcross(t, st1, func() server.Storage {
		// The restart: the first process lets go of the file.
		if err := st1.Close(); err != nil {
			t.Fatal(err)
		}
		st2, err := boltstore.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st2.Close() })
		return st2
	})
}

// TestReplayAcrossServersPostgres runs two servers over one database at
// once. It uses its own schema, so the pgstore suite and the bench, which
// empty the tables of the default schema, can run beside it.
func TestReplayAcrossServersPostgres(t *testing.T) {
	dsn := os.Getenv("TOKRI_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TOKRI_TEST_POSTGRES must be set in CI")
		}
		t.Log("PostgreSQL replay test did NOT run: set TOKRI_TEST_POSTGRES")
		return
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	const schema = "tokri_server_replay_test"
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE; CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	open := func() server.Storage {
		st, err := pgstore.Open(ctx, u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	replayAcross(t, open(), open)
}
