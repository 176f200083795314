package e2e

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/agent/uplink"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/sync/faultproxy"
	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/server/boltstore"
	"github.com/tokrihq/tokri/sync/wire"
)

const (
	storeID = "kirana-7"
	secret  = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
)

// central is the real server on a real bbolt file behind a fault proxy.
type central struct {
	t     *testing.T
	path  string
	now   func() time.Time
	proxy *faultproxy.Proxy
	front string // the URL the agent uses: the proxy's

	mu sync.Mutex // guards following
	st *boltstore.Store
	up *faultproxy.Upstream
}

func startCentral(t *testing.T, now func() time.Time) *central {
	t.Helper()
	c := &central{t: t, path: filepath.Join(t.TempDir(), "central.db"), now: now}
	st, err := boltstore.Open(c.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddStore(context.Background(), storeID, secret, now()); err != nil {
		t.Fatal(err)
	}
	c.st = st
	c.proxy, err = faultproxy.New("", zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel))
	if err != nil {
		t.Fatal(err)
	}
	c.up = faultproxy.NewUpstream(c.proxy, c.handler(st))
	front := newLoopback(t, c.proxy)
	c.front = front
	t.Cleanup(func() {
		c.up.Stop()
		c.proxy.Close()
		c.mu.Lock()
		c.st.Close()
		c.mu.Unlock()
	})
	return c
}

func (c *central) handler(st *boltstore.Store) *server.Server {
	return server.New(server.Options{Storage: st, Log: zerolog.New(zerolog.NewTestWriter(c.t)).Level(zerolog.WarnLevel), Now: c.now})
}

// restart stops the server as a crash would, reopens its file and serves
// again on a new port behind the same proxy.
func (c *central) restart() {
	c.t.Helper()
	c.up.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.st.Close(); err != nil {
		c.t.Fatal(err)
	}
	st, err := boltstore.Open(c.path)
	if err != nil {
		c.t.Fatal(err)
	}
	c.st = st
	c.up.Start(c.handler(st))
}

func (c *central) store() *boltstore.Store {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st
}

// items is the whole central catalog and its version.
func (c *central) items() ([]wire.Item, []wire.Category, uint64) {
	c.t.Helper()
	p, err := c.store().CatalogPage(context.Background(), storeID, wire.Cursor{}, 1<<30)
	if err != nil {
		c.t.Fatal(err)
	}
	return p.Items, p.Categories, p.Version
}

// change edits some central items, as the chain's office would.
func (c *central) change(edit func(*wire.Item) bool) {
	c.t.Helper()
	items, cats, _ := c.items()
	var changed []wire.Item
	for _, it := range items {
		if edit(&it) {
			changed = append(changed, it)
		}
	}
	if _, err := c.store().ImportCatalog(context.Background(), storeID, changed, cats); err != nil {
		c.t.Fatal(err)
	}
}

// wireItemsOf is the agent's catalog items as central keeps them.
func wireItemsOf(items []catalog.Item) []wire.Item {
	ws := make([]wire.Item, len(items))
	for i, it := range items {
		ws[i] = wire.Item{SKU: it.SKU, Name: it.Name, NameHi: it.NameHi, Category: it.Category, Unit: it.Unit,
			Price: it.Price, Stock: it.Stock, Active: it.Active, Synonyms: it.Synonyms}
	}
	return ws
}

func (c *central) importItems(items []catalog.Item) {
	c.t.Helper()
	ws := wireItemsOf(items)
	if _, err := c.store().ImportCatalog(context.Background(), storeID, ws, server.CategoriesOf(ws)); err != nil {
		c.t.Fatal(err)
	}
}

func (c *central) orders() []server.Order {
	c.t.Helper()
	os, err := c.store().Orders(context.Background(), storeID, 0)
	if err != nil {
		c.t.Fatal(err)
	}
	return os
}

// agent is the store side: a real store file and its sync client.
type agent struct {
	t      *testing.T
	db     *store.DB
	client *uplink.Client
}

func startAgent(t *testing.T, url string, now func() time.Time, mod func(*uplink.Options)) *agent {
	t.Helper()
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel)
	db := testkit.OpenStore(t, store.Options{Now: now, Log: log})
	o := uplink.Options{
		DB: db, Server: url, StoreID: storeID, Secret: secret, Log: log, Now: now,
		Interval: 5 * time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		Batch: 7, PageItems: 40, HTTP: newHTTPClient(t),
	}
	if mod != nil {
		mod(&o)
	}
	c, err := uplink.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return &agent{t: t, db: db, client: c}
}

// items is the agent's catalog as the server would list it.
func (a *agent) items() []wire.Item {
	a.t.Helper()
	var out []wire.Item
	err := a.db.View(func(tx *store.Tx) error {
		items, err := catalog.Items(tx.Bolt())
		for _, it := range items {
			out = append(out, wire.Item{SKU: it.SKU, Name: it.Name, NameHi: it.NameHi, Category: it.Category, Unit: it.Unit,
				Price: it.Price, Stock: it.Stock, Active: it.Active, Synonyms: it.Synonyms})
		}
		return err
	})
	if err != nil {
		a.t.Fatal(err)
	}
	return out
}

// run starts the client's loop; the returned func stops it and waits.
func (a *agent) run() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.client.Run(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			a.t.Errorf("Run = %v", err)
		}
	}
}
