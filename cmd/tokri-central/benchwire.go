package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/agent/uplink"
	"github.com/tokrihq/tokri/sync/outbox"
	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/server/boltstore"
	"github.com/tokrihq/tokri/sync/wire"
)

// Wire-cost targets for a store on a metered 2G link.
const (
	targetFirstSync = 150 * 1000 // bytes, first sync of a 5,000-item catalog
	targetDelta     = 4 * 1000   // bytes, a delta of 50 changed items
	targetPerOrder  = 400        // bytes per order uploaded
)

// BenchWireMain is `tokri-central bench-wire`: the real sync client on a
// real agent store against the real server on bbolt, over loopback, and the
// bytes each kind of round costs. Each figure is what the client counts
// (bodies as sent plus request and status lines and headers), checked
// against the bytes that crossed the server's TCP connections.
type BenchWireMain struct {
	Stdout, Stderr io.Writer
	items          int
	changed        int
	orders         int
	keep, detail   bool
	tmp            string
	trace          *traceTransport
	central        *boltstore.Store
	agent          *store.DB
}

func (m *BenchWireMain) Flags(fs *flag.FlagSet) {
	fs.IntVar(&m.items, "items", 5000, "catalog items the store starts with")
	fs.IntVar(&m.changed, "changed", 50, "items whose price changes for the delta")
	fs.IntVar(&m.orders, "orders", 20, "orders placed for the batch upload")
	fs.BoolVar(&m.keep, "keep", false, "keep the temporary directory (both bbolt files)")
	fs.BoolVar(&m.detail, "detail", false, "break every figure down by request (always done for a missed target)")
}

// Args implements command.Arguments: the sizes must make sense.
func (m *BenchWireMain) Args(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	if m.items <= 0 || m.changed <= 0 || m.changed > m.items || m.orders <= 0 {
		return errors.New("--items, --changed and --orders must be positive, --changed at most --items")
	}
	return nil
}

const benchStore = "bench-wire"

func (m *BenchWireMain) Run(ctx context.Context) (err error) {
	if m.tmp, err = os.MkdirTemp("", "tokri-bench-wire-"); err != nil {
		return err
	}
	if m.keep {
		fmt.Fprintln(m.Stderr, "bench-wire: directory", m.tmp)
	}
	if m.central, err = boltstore.Open(filepath.Join(m.tmp, "central.db")); err != nil {
		return err
	}
	secret, err := wire.GenerateSecret()
	if err != nil {
		return err
	}
	if err := m.central.AddStore(ctx, benchStore, secret, time.Now()); err != nil {
		return err
	}
	gen := catalog.Generate(m.items, 1)
	items := wireItems(gen)
	if _, err := m.central.ImportCatalog(ctx, benchStore, items, server.CategoriesOf(items)); err != nil {
		return err
	}
	if m.agent, err = store.Open(filepath.Join(m.tmp, "tokri.db"), store.Options{}); err != nil {
		return err
	}

	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ln := &countingListener{Listener: raw}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() {
		served <- server.New(server.Options{Storage: m.central, Log: zerolog.Nop()}).Run(sctx, ln, nil)
	}()
	defer func() {
		stop()
		if serr := <-served; err == nil {
			err = serr
		}
	}()
	m.trace = &traceTransport{next: &http.Transport{}}
	c, err := uplink.New(uplink.Options{DB: m.agent, Server: "http://" + raw.Addr().String(), StoreID: benchStore,
		Secret: secret, Log: zerolog.Nop(), HTTP: &http.Client{Transport: m.trace, Timeout: time.Minute}})
	if err != nil {
		return err
	}

	first, err := m.round(ctx, c, ln)
	if err != nil {
		return fmt.Errorf("first sync: %w", err)
	}
	if first.Items != m.items {
		return fmt.Errorf("first sync applied %d items, want %d", first.Items, m.items)
	}
	m.report(first.total() < targetFirstSync, "first sync, %d items (%d pages of %d): %s   target < %s", m.items,
		(m.items+wire.DefaultPageItems-1)/wire.DefaultPageItems, wire.DefaultPageItems, first, kb(targetFirstSync))

	if err := m.changePrices(ctx, items); err != nil {
		return err
	}
	delta, err := m.round(ctx, c, ln)
	if err != nil {
		return fmt.Errorf("delta sync: %w", err)
	}
	if delta.Items != m.changed {
		return fmt.Errorf("delta sync applied %d items, want %d", delta.Items, m.changed)
	}
	m.report(delta.total() < targetDelta, "delta, %d prices changed: %s   target < %s", m.changed, delta, kb(targetDelta))

	rng := rand.New(rand.NewPCG(1, 2))
	if err := m.placeOrders(gen, 1, rng); err != nil {
		return err
	}
	one, err := m.round(ctx, c, ln)
	if err != nil {
		return fmt.Errorf("one-order sync: %w", err)
	}
	if one.Pushed != one.pending || one.pending == 0 {
		return fmt.Errorf("one-order sync pushed %d of %d records", one.Pushed, one.pending)
	}
	m.report(one.total() < targetPerOrder, "one order alone (%d records pushed, %d items back): %s   target < %d B",
		one.Pushed, one.Items, one, targetPerOrder)

	if err := m.placeOrders(gen, m.orders, rng); err != nil {
		return err
	}
	batch, err := m.round(ctx, c, ln)
	if err != nil {
		return fmt.Errorf("order batch sync: %w", err)
	}
	if batch.Pushed != batch.pending {
		return fmt.Errorf("order batch sync pushed %d of %d records", batch.Pushed, batch.pending)
	}
	per := batch.total() / int64(m.orders)
	m.report(per < targetPerOrder, "%d orders in one round (%d records pushed, %d items back): %s, %d B per order   target < %d B",
		m.orders, batch.Pushed, batch.Items, batch, per, targetPerOrder)
	return nil
}

// report prints one figure with its verdict, and where its bytes went if
// it missed or --detail asked.
func (m *BenchWireMain) report(ok bool, format string, args ...any) {
	fmt.Fprintf(m.Stdout, format+"  %s\n", append(args, verdict(ok))...)
	calls := m.trace.take()
	if !ok || m.detail {
		fmt.Fprint(m.Stdout, breakdown(calls))
	}
}

// wireRound is what one sync round cost, as the client counted it and as
// the server's sockets saw it.
type wireRound struct {
	uplink.Round
	tcpIn, tcpOut int64 // at the server: bytes read from and written to agents
	pending       int   // outbox records waiting before the round
}

func (r wireRound) total() int64 { return r.BytesSent + r.BytesReceived }

func (r wireRound) String() string {
	return fmt.Sprintf("%s (%s up, %s down; on the socket %s)", kb(r.total()), kb(r.BytesSent), kb(r.BytesReceived), kb(r.tcpIn+r.tcpOut))
}

// round runs one sync round and what it cost.
func (m *BenchWireMain) round(ctx context.Context, c *uplink.Client, ln *countingListener) (wireRound, error) {
	var pending int
	if err := m.agent.View(func(tx *store.Tx) (err error) {
		pending, err = outbox.Count(tx.Bolt())
		return err
	}); err != nil {
		return wireRound{}, err
	}
	m.trace.take()
	in0, out0 := ln.in.Load(), ln.out.Load()
	r, err := c.SyncNow(ctx)
	return wireRound{Round: r, tcpIn: ln.in.Load() - in0, tcpOut: ln.out.Load() - out0, pending: pending}, err
}

// changePrices raises the price of m.changed items spread over the catalog,
// as the chain's office would with an import of just those lines.
func (m *BenchWireMain) changePrices(ctx context.Context, items []wire.Item) error {
	step := len(items) / m.changed
	changed := make([]wire.Item, 0, m.changed)
	for i := 0; i < m.changed; i++ {
		it := items[i*step]
		it.Price += 100
		changed = append(changed, it)
	}
	res, err := m.central.ImportCatalog(ctx, benchStore, changed, server.CategoriesOf(items))
	if err != nil {
		return err
	}
	if res.Updated != m.changed {
		return fmt.Errorf("price change updated %d items, want %d", res.Updated, m.changed)
	}
	return nil
}

// placeOrders places n orders of three lines each (one to three units of
// in-stock items), for delivery, as the shop would after a checkout.
func (m *BenchWireMain) placeOrders(items []catalog.Item, n int, rng *rand.Rand) error {
	for i := 0; i < n; i++ {
		shopper := fmt.Sprintf("+9198%08d", rng.IntN(1e8))
		err := m.agent.Update(func(tx *store.Tx) error {
			o := orders.Order{Shopper: shopper, Mode: orders.ModeDelivery, Address: "12 MG Road, near the temple", DeliveryFee: 20_00}
			seen := map[string]bool{}
			for len(o.Lines) < 3 {
				it, err := catalog.Get(tx.Bolt(), items[rng.IntN(len(items))].SKU)
				if err != nil {
					return err
				}
				qty := 1 + rng.IntN(3)
				if !it.Active || it.Stock < qty || seen[it.SKU] {
					continue
				}
				seen[it.SKU] = true
				o.Lines = append(o.Lines, orders.Line{SKU: it.SKU, Name: it.Name, NameHi: it.NameHi, Unit: it.Unit, Qty: qty, Price: it.Price})
			}
			_, err := orders.Place(tx, o, time.Now())
			return err
		})
		if err != nil {
			return fmt.Errorf("place order: %w", err)
		}
	}
	return nil
}

func (m *BenchWireMain) Close() error {
	var errs []error
	if m.agent != nil {
		errs = append(errs, m.agent.Close())
	}
	errs = append(errs, closeStorage(m.central))
	if m.tmp != "" && !m.keep {
		errs = append(errs, os.RemoveAll(m.tmp))
	}
	return errors.Join(errs...)
}

// kb shows n bytes in kB (powers of 1000, as metered data is sold).
func kb(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.1f kB", float64(n)/1000)
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}

// countingListener counts the bytes its connections read and write.
type countingListener struct {
	net.Listener
	in, out atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, l: l}, nil
}

type countingConn struct {
	net.Conn
	l *countingListener
}

func (c *countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.l.in.Add(int64(n))
	return n, err
}

func (c *countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.l.out.Add(int64(n))
	return n, err
}
