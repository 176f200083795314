package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/agent/uplink"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
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

// TestWireCost runs the wire measurement small: every kind of round is
// measured, and what the client counts agrees with the bytes that crossed
// the server's sockets.
func TestWireCost(t *testing.T) {
	figs := measureWire(t, 450, 10, 3)
	if len(figs) != 4 {
		t.Fatalf("want 4 figures, got %d", len(figs))
	}
	for _, f := range figs {
		t.Log(f.line)
		// The client estimates its header lines: within 10% and 100 B.
		if d := f.counted - f.socket; d > f.socket/10+100 || -d > f.socket/10+100 {
			t.Errorf("%s: client counted %d bytes, the socket carried %d: more than 10%% apart", f.name, f.counted, f.socket)
		}
	}
	if want := "first sync, 450 items (3 pages of 200)"; !strings.HasPrefix(figs[0].line, want) {
		t.Errorf("first figure %q, want it to start %q", figs[0].line, want)
	}
}

// BenchmarkWire is the bytes each kind of sync round costs a store: the
// first sync of a 5,000-item catalog, a delta of 50 prices, one order
// alone and 20 orders in one round, each with its target. A missed target
// is broken down by request. make bench runs it once (-benchtime=1x).
func BenchmarkWire(b *testing.B) {
	var figs []wireFigure
	for b.Loop() {
		figs = measureWire(b, 5000, 50, 20)
	}
	for _, f := range figs {
		b.Log(f.line + f.detail)
		b.ReportMetric(float64(f.counted), "B-"+f.name)
	}
}

// wireFigure is one kind of round's cost: as the client counted it and as
// the server's sockets saw it, with its verdict and, for a miss, where the
// bytes went.
type wireFigure struct {
	name            string
	line            string
	counted, socket int64
	detail          string
}

// measureWire syncs a fresh agent store with the real server on bbolt over
// loopback through the real uplink client, and measures four rounds.
func measureWire(tb testing.TB, items, changed, orderCount int) []wireFigure {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	central, err := boltstore.Open(filepath.Join(dir, "central.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { central.Close() })
	if err := central.AddStore(ctx, storeID, secret, time.Now()); err != nil {
		tb.Fatal(err)
	}
	gen := catalog.Generate(items, 1)
	ws := wireItemsOf(gen)
	if _, err := central.ImportCatalog(ctx, storeID, ws, server.CategoriesOf(ws)); err != nil {
		tb.Fatal(err)
	}
	agent, err := store.Open(filepath.Join(dir, "tokri.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { agent.Close() })
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ln := &countingListener{Listener: raw}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() {
		served <- server.New(server.Options{Storage: central, Log: zerolog.Nop()}).Run(sctx, ln, nil)
	}()
	tb.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			tb.Error(err)
		}
	})
	tr := &http.Transport{}
	trace := &traceTransport{next: tr}
	c, err := uplink.New(uplink.Options{DB: agent, Server: "http://" + raw.Addr().String(), StoreID: storeID,
		Secret: secret, Log: zerolog.Nop(), HTTP: &http.Client{Transport: trace, Timeout: time.Minute}})
	if err != nil {
		tb.Fatal(err)
	}
	var figs []wireFigure
	round := func(name string, target int64, per int, check func(uplink.Round, int) error, format string, args ...any) {
		tb.Helper()
		var pending int
		if err := agent.View(func(tx *store.Tx) (err error) {
			pending, err = outbox.Count(tx.Bolt())
			return err
		}); err != nil {
			tb.Fatal(err)
		}
		trace.take()
		in0, out0 := ln.in.Load(), ln.out.Load()
		r, err := c.SyncNow(ctx)
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		// The client may read a response before the server's write of it
		// has returned and been counted; once the server has closed every
		// connection, all it wrote is counted.
		tr.CloseIdleConnections()
		testtime.Until(tb, "the server to close its connections", func() bool { return ln.open.Load() == 0 })
		if err := check(r, pending); err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		f := wireFigure{name: name, counted: (r.BytesSent + r.BytesReceived) / int64(per), socket: (ln.in.Load() - in0 + ln.out.Load() - out0) / int64(per)}
		ok := f.counted < target
		f.line = fmt.Sprintf(format, args...) + fmt.Sprintf(": %s (%s up, %s down; on the socket %s)", kb(f.counted*int64(per)), kb(r.BytesSent), kb(r.BytesReceived), kb(f.socket*int64(per)))
		if per > 1 {
			f.line += fmt.Sprintf(", %s per order", kb(f.counted))
		}
		f.line += fmt.Sprintf("   target < %s  %s", kb(target), map[bool]string{true: "ok", false: "MISSED"}[ok])
		if calls := trace.take(); !ok {
			f.detail = "\n" + strings.TrimRight(breakdown(calls), "\n")
		}
		figs = append(figs, f)
	}
	applied := func(want int) func(uplink.Round, int) error {
		return func(r uplink.Round, _ int) error {
			if r.Items != want {
				return fmt.Errorf("applied %d items, want %d", r.Items, want)
			}
			return nil
		}
	}
	pushedAll := func(r uplink.Round, pending int) error {
		if r.Pushed != pending || pending == 0 {
			return fmt.Errorf("pushed %d of %d records", r.Pushed, pending)
		}
		return nil
	}
	round("first-sync", targetFirstSync, 1, applied(items), "first sync, %d items (%d pages of %d)",
		items, (items+wire.DefaultPageItems-1)/wire.DefaultPageItems, wire.DefaultPageItems)
	changePrices(tb, central, ws, changed)
	round("delta", targetDelta, 1, applied(changed), "delta, %d prices changed", changed)
	rng := rand.New(rand.NewPCG(1, 2))
	placeOrders(tb, agent, gen, 1, rng)
	round("one-order", targetPerOrder, 1, pushedAll, "one order alone")
	placeOrders(tb, agent, gen, orderCount, rng)
	round("per-order", targetPerOrder, orderCount, pushedAll, "%d orders in one round", orderCount)
	return figs
}

// changePrices raises the price of n items spread over the catalog, as
// the chain's office would with an import of just those lines.
func changePrices(tb testing.TB, central *boltstore.Store, items []wire.Item, n int) {
	tb.Helper()
	step := len(items) / n
	changed := make([]wire.Item, 0, n)
	for i := 0; i < n; i++ {
		it := items[i*step]
		it.Price += 100
		changed = append(changed, it)
	}
	res, err := central.ImportCatalog(context.Background(), storeID, changed, server.CategoriesOf(items))
	if err != nil || res.Updated != n {
		tb.Fatalf("price change updated %d items, want %d (%v)", res.Updated, n, err)
	}
}

// placeOrders places n orders of three lines each (one to three units of
// in-stock items), for delivery, as the shop would after a checkout.
func placeOrders(tb testing.TB, db *store.DB, items []catalog.Item, n int, rng *rand.Rand) {
	tb.Helper()
	for i := 0; i < n; i++ {
		shopper := fmt.Sprintf("+9198%08d", rng.IntN(1e8))
		err := db.Update(func(tx *store.Tx) error {
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
			tb.Fatalf("place order: %v", err)
		}
	}
}

// kb shows n bytes in kB (powers of 1000, as metered data is sold).
func kb(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.1f kB", float64(n)/1000)
}

// countingListener counts the bytes its connections read and write, and
// the connections still open.
type countingListener struct {
	net.Listener
	in, out, open atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.open.Add(1)
	return &countingConn{Conn: c, l: l}, nil
}

type countingConn struct {
	net.Conn
	l      *countingListener
	closed sync.Once
}

func (c *countingConn) Close() error {
	c.closed.Do(func() { c.l.open.Add(-1) })
	return c.Conn.Close()
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

// traceTransport records, per request the sync client makes, the header
// and body bytes each way and the JSON size of each body before gzip, so
// that a missed target can be put down to its cause.
type traceTransport struct {
	next http.RoundTripper

	mu    sync.Mutex // guards following
	calls []traceCall
}

type traceCall struct {
	method, path                string
	headUp, bodyUp, rawUp       int
	headDown, bodyDown, rawDown int
}

func (t *traceTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c := traceCall{method: r.Method, path: r.URL.Path}
	c.headUp = len(r.Method) + 1 + len(r.URL.RequestURI()) + len(" HTTP/1.1\r\nHost: \r\n") + len(r.URL.Host) + headerLen(r.Header)
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		c.bodyUp, c.rawUp = len(b), rawLen(r.Header.Get("Content-Encoding"), b)
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	c.headDown = len("HTTP/1.1 200 OK\r\n\r\n") + headerLen(resp.Header)
	c.bodyDown, c.rawDown = len(b), rawLen(resp.Header.Get("Content-Encoding"), b)
	t.mu.Lock()
	t.calls = append(t.calls, c)
	t.mu.Unlock()
	return resp, nil
}

// take returns the calls recorded since the last take.
func (t *traceTransport) take() []traceCall {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.calls
	t.calls = nil
	return c
}

func headerLen(h http.Header) int {
	n := 0
	for k, vs := range h {
		for _, v := range vs {
			if k == "User-Agent" && v == "" { // net/http sends none
				continue
			}
			n += len(k) + 2 + len(v) + 2
		}
	}
	return n
}

func rawLen(enc string, b []byte) int {
	raw, err := wire.Decode(enc, b)
	if err != nil {
		return -1
	}
	return len(raw)
}

// breakdown is one line per kind of request: how many, and where the
// bytes went.
func breakdown(calls []traceCall) string {
	by := map[string]*traceCall{}
	count := map[string]int{}
	var keys []string
	for _, c := range calls {
		k := c.method + " " + c.path
		s := by[k]
		if s == nil {
			s = &traceCall{}
			by[k] = s
			keys = append(keys, k)
		}
		count[k]++
		s.headUp += c.headUp
		s.bodyUp += c.bodyUp
		s.rawUp += c.rawUp
		s.headDown += c.headDown
		s.bodyDown += c.bodyDown
		s.rawDown += c.rawDown
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		s := by[k]
		fmt.Fprintf(&b, "    %-17s x%-3d up: headers %s, body %s (JSON %s)   down: headers %s, body %s (JSON %s)\n",
			k, count[k], kb(int64(s.headUp)), kb(int64(s.bodyUp)), kb(int64(s.rawUp)), kb(int64(s.headDown)), kb(int64(s.bodyDown)), kb(int64(s.rawDown)))
	}
	return b.String()
}
