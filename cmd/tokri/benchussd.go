package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/agent/system"
	"github.com/tokrihq/tokri/protocol/ussd"
	"github.com/tokrihq/tokri/protocol/ussd/gateway"
	"github.com/tokrihq/tokri/sync/relay"
)

// BenchUSSDMain is "tokri bench-ussd": USSD step latency through the
// central relay to an agent and back, over loopback. Central's callback
// endpoint and relay hub and the agent's relay client and shop run in one
// process but talk over real TCP, as in production; the agent's store is
// a real bbolt file. Concurrent shoppers each walk a whole order session
// (search, add, pickup, pay, confirm) again and again.
type BenchUSSDMain struct {
	sessions int
	duration time.Duration
	catalog  string
	format   string
	profile  string
	out      io.Writer
}

// targetStepP99 is the aim for one step at 50 concurrent sessions.
const targetStepP99 = 300 * time.Millisecond

// Flags implements command.Command.
func (c *BenchUSSDMain) Flags(fs *flag.FlagSet) {
	fs.IntVar(&c.sessions, "sessions", 50, "concurrent USSD sessions")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long to run")
	fs.StringVar(&c.catalog, "catalog", "examples/kirana.csv", "catalog CSV")
	fs.StringVar(&c.format, "format", "africastalking", "aggregator format")
	fs.StringVar(&c.profile, "cpuprofile", "", "write a CPU profile of the run to this `FILE`")
}

// Close implements command.
func (c *BenchUSSDMain) Close() error { return nil }

// benchSession is one new shopper's order, key by key, after the dial:
// search "atta", the second hit, one pack, checkout, pickup, confirm (the
// bench shop takes cash only, so there is no payment screen).
var benchSession = []string{"2", "atta", "2", "1", "1", "2", "1"}

// Run implements command.
func (c *BenchUSSDMain) Run(ctx context.Context) error {
	if c.out == nil {
		c.out = os.Stdout
	}
	f, ok := gateway.Lookup(c.format)
	if !ok {
		return fmt.Errorf("no format %q", c.format)
	}
	dir, err := os.MkdirTemp("", "tokri-bench-ussd-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	log := zerolog.Nop()

	// Central: the hub and the callbacks on a loopback listener.
	const storeID, secret = "bench", "bench-secret-bench-secret-bench-secret-0123456789abcdef0123"
	hub := relay.NewHub(relay.HubOptions{Secret: func(context.Context, string) (string, error) { return secret, nil }, Log: log})
	defer hub.Close()
	mux := http.NewServeMux()
	mux.Handle("GET "+relay.Path, hub)
	mux.Handle(relay.CallbackPattern, hub.Callbacks(log))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: mux}
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()

	// The agent, with no modem, reaching central through the relay.
	cfg, err := config.Parse("bench.toml", fmt.Appendf(nil, "[agent]\ndata = %q\n[shop]\nname = \"Bench Kirana\"\nopens = \"00:00\"\ncloses = \"00:00\"\nmin_order = 0\n"+
		"[sync]\nserver = %q\nstore_id = %q\nsecret = %q\n", dir, base, storeID, secret))
	if err != nil {
		return err
	}
	sys, err := system.New(system.Options{Config: cfg, Log: log})
	if err != nil {
		return err
	}
	defer sys.Close()
	if err := c.loadShop(sys.DB); err != nil {
		return err
	}
	rctx, stop := context.WithCancel(ctx)
	sysErr := make(chan error, 1)
	go func() { sysErr <- sys.Run(rctx) }()
	defer func() {
		stop()
		<-sysErr
	}()
	for !hub.Connected(storeID) {
		if rctx.Err() != nil {
			return rctx.Err()
		}
		time.Sleep(10 * time.Millisecond)
	}
	url := base + relay.CallbackPath(c.format, storeID, relay.CallbackToken(secret, storeID))

	tr := &http.Transport{MaxIdleConnsPerHost: c.sessions}
	hc := &http.Client{Transport: tr, Timeout: 20 * time.Second}
	var (
		mu       sync.Mutex
		lat      []time.Duration
		done     atomic.Int64
		failed   atomic.Int64
		firstErr atomic.Value
	)
	if c.profile != "" {
		pf, err := os.Create(c.profile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	deadline := time.Now().Add(c.duration)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < c.sessions; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for n := 0; time.Now().Before(deadline) && ctx.Err() == nil; n++ {
				d, err := benchOne(ctx, &gateway.Call{Format: f, URL: url, Client: hc,
					Request: ussd.Request{Session: fmt.Sprintf("b%d-%d", w, n), Phone: fmt.Sprintf("+9197%04d%04d", w, n%10000), Code: "*384*7#"}})
				mine = append(mine, d...)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				done.Add(1)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	took := time.Since(start)
	if len(lat) == 0 {
		return errors.New("no step answered")
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	var placed int
	sys.DB.View(func(tx *store.Tx) error {
		list, err := orders.List(tx.Bolt(), orders.Filter{})
		placed = len(list)
		return err
	})
	fmt.Fprintf(c.out, "ussd through central over loopback, %s format, %d concurrent sessions, %s:\n", c.format, c.sessions, took.Round(time.Millisecond))
	fmt.Fprintf(c.out, "  steps %d: p50 %s, p99 %s, max %s (aim p99 < %s)\n", len(lat), q(0.50).Round(time.Microsecond), q(0.99).Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond), targetStepP99)
	fmt.Fprintf(c.out, "  sessions %d ordered (%.1f/s, %d orders in the store), %d failed\n", done.Load(), float64(done.Load())/took.Seconds(), placed, failed.Load())
	if err, _ := firstErr.Load().(error); err != nil {
		fmt.Fprintf(c.out, "  first failure: %v\n", err)
	}
	return nil
}

// benchOne walks one order session and returns each step's latency.
func benchOne(ctx context.Context, call *gateway.Call) ([]time.Duration, error) {
	var lat []time.Duration
	t := time.Now()
	rep, err := call.Dial(ctx)
	for i := 0; ; i++ {
		lat = append(lat, time.Since(t))
		if err != nil {
			return lat, err
		}
		if i == len(benchSession) {
			if !rep.End || !strings.Contains(rep.Text, "placed") {
				return lat, fmt.Errorf("session ended on %q", rep.Text)
			}
			return lat, nil
		}
		if rep.End {
			return lat, fmt.Errorf("session ended early on %q", rep.Text)
		}
		t = time.Now()
		rep, err = call.Press(ctx, benchSession[i])
	}
}

// loadShop imports the catalog with stock no bench can sell out.
func (c *BenchUSSDMain) loadShop(db *store.DB) error {
	items, err := catalog.ReadFile(c.catalog)
	if err != nil {
		return err
	}
	for i := range items {
		items[i].Stock = catalog.MaxStock
	}
	return db.Update(func(tx *store.Tx) error {
		_, err := catalog.Import(tx.Bolt(), items)
		return err
	})
}
