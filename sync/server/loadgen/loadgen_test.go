package loadgen

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/server/boltstore"
	"github.com/tokrihq/tokri/sync/server/storetest"
)

// TestRun checks that simulated agents get through the real server with no
// errors (pushes fully acked, deltas applied); speed is for `tokri-central bench`.
func TestRun(t *testing.T) {
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	agents := []Agent{{"s1", "secret-1"}, {"s2", "secret-2"}, {"s3", "secret-3"}}
	for _, a := range agents {
		if err := st.AddStore(ctx, a.Store, a.Secret, time.Now()); err != nil {
			t.Fatal(err)
		}
		items := storetest.Items(5)
		if _, err := st.ImportCatalog(ctx, a.Store, items, server.CategoriesOf(items)); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(server.New(server.Options{Storage: st, Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)}))
	defer srv.Close()
	res, err := Run(ctx, Options{URL: srv.URL, Agents: agents, Duration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Errors != 0 || res.BytesUp == 0 || res.BytesDown == 0 {
		t.Fatalf("result: %s (first error %q)", res, res.FirstError)
	}
	orders, err := st.Orders(ctx, "s1", 0)
	if err != nil || len(orders) == 0 || orders[0].State != "accepted" {
		t.Fatalf("s1 orders: %d, %v", len(orders), err)
	}
	t.Log(res)
}
