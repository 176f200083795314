package server_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/server/boltstore"
	"github.com/tokrihq/tokri/sync/server/storetest"
	"github.com/tokrihq/tokri/sync/wire"
)

// attackCeiling is the most the server's heap and stacks may grow while
// 400 unauthenticated connections send slow headers and 4 MiB bodies.
// Reading every body before checking Authorization took this process past
// 1 GB.
const attackCeiling = 64 << 20

// openStore is a fresh central store file, closed when the test ends.
func openStore(t *testing.T) *boltstore.Store {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// serveLoopback runs srv on a free loopback port, stopped (before the
// store closes) when the test ends, and returns its address.
func serveLoopback(t *testing.T, srv *server.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln, nil) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return ln.Addr().String()
}

// heapInUse is the test's own measure of the process's memory: Go heap
// spans and goroutine stacks in use.
func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse + ms.StackInuse
}

// An attacker who cannot sign opens many connections from several
// addresses: some send their headers a byte at a time, some announce and
// send 4 MiB bodies without credentials, some with credentials that name a
// real store and a fresh timestamp but a wrong signature. The server's
// memory stays under attackCeiling by its own measure, and a real agent's
// push still goes through while the attack runs.
func TestUnauthenticatedFloodStaysInBoundedMemory(t *testing.T) {
	st := openStore(t)
	secret, _ := wire.GenerateSecret()
	if err := st.AddStore(context.Background(), "kirana1", secret, time.Now()); err != nil {
		t.Fatal(err)
	}
	addr := serveLoopback(t, server.New(server.Options{Storage: st, Log: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)}))

	runtime.GC()
	base := heapInUse()
	var (
		peakMu sync.Mutex
		peak   = base
	)
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-tick.C:
				m := heapInUse()
				peakMu.Lock()
				peak = max(peak, m)
				peakMu.Unlock()
			}
		}
	}()

	const (
		sources  = 20 // 127.0.0.10 ... 127.0.0.29
		perSrc   = 20
		duration = 3 * time.Second
	)
	chunk := []byte(strings.Repeat("x", 32<<10))
	attackCtx, stopAttack := context.WithTimeout(context.Background(), duration)
	defer stopAttack()
	var wg, dialled sync.WaitGroup
	for src := range sources {
		local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(10+src))}
		for i := range perSrc {
			wg.Add(1)
			dialled.Add(1)
			go func() {
				defer wg.Done()
				attack(attackCtx, local, addr, i%3, chunk, dialled.Done)
			}()
		}
	}

	// A real agent pushes once every attacker has its connection (or was
	// refused one), while they hold them.
	dialled.Wait()
	push := pushOf(t, storetest.OrderRecord(t, 1, "ACDEF", "ATTA", 1, 26500, time.Now()))
	req, _, err := wire.NewRequest(context.Background(), http.MethodPost, "http://"+addr, wire.PathOutbox, push, "kirana1", secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var ack wire.PushResponse
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("real push during the attack: %v", err)
	}
	if _, err := wire.ReadResponse(resp, &ack); err != nil {
		t.Fatalf("real push during the attack: %v", err)
	}
	wg.Wait()
	close(stopSampling)
	<-sampled
	peakMu.Lock()
	grew := peak - base
	peakMu.Unlock()
	t.Logf("%d connections from %d addresses for %s: heap+stacks grew %.1f MiB (base %.1f MiB), ceiling %d MiB",
		sources*perSrc, sources, duration, float64(grew)/(1<<20), float64(base)/(1<<20), attackCeiling>>20)
	if peak > base && grew > attackCeiling {
		t.Errorf("memory grew %.1f MiB under the attack, over the ceiling of %d MiB", float64(grew)/(1<<20), attackCeiling>>20)
	}
}

// attack opens one connection from local to addr and runs kind until ctx
// ends: 0 sends headers a byte at a time, 1 a 4 MiB body with no
// credentials, 2 a 4 MiB body with a wrong signature for a real store.
// It calls dialled once the dial is over, whatever its outcome.
func attack(ctx context.Context, local *net.TCPAddr, addr string, kind int, chunk []byte, dialled func()) {
	d := net.Dialer{LocalAddr: local}
	c, err := d.DialContext(ctx, "tcp", addr)
	dialled()
	if err != nil {
		return
	}
	defer c.Close()
	go func() {
		<-ctx.Done()
		c.Close()
	}()
	head := "POST " + wire.PathOutbox + " HTTP/1.1\r\nHost: central\r\nContent-Length: 4194304\r\n"
	switch kind {
	case 0:
		for _, b := range []byte(head + "X-Slow: " + strings.Repeat("a", 200)) {
			if _, err := c.Write([]byte{b}); err != nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
		return
	case 2:
		h := http.Header{}
		wire.Sign("not-the-secret", http.MethodPost, wire.PathOutbox, "kirana1", time.Now().Unix(), wire.NewNonce(), nil).SetHeaders(h)
		head += fmt.Sprintf("%s: %s\r\n", wire.HeaderAuth, h.Get(wire.HeaderAuth))
	}
	if _, err := c.Write([]byte(head + "\r\n")); err != nil {
		return
	}
	for sent := 0; sent < 4<<20; sent += len(chunk) {
		if _, err := c.Write(chunk); err != nil {
			return
		}
	}
	<-ctx.Done()
}

// Connections over the per-address cap are closed before a byte is read;
// another address still gets in, and a closed connection gives its place
// back.
func TestConnectionCaps(t *testing.T) {
	addr := serveLoopback(t, server.New(server.Options{Storage: openStore(t), Log: zerolog.New(zerolog.NewTestWriter(t)), Limits: server.Limits{MaxConns: 6, MaxConnsPerIP: 4}}))
	dial := func(ip byte) net.Conn {
		t.Helper()
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, ip)}}
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	// open says whether the server answers a request on c (a closed
	// connection reads EOF at once).
	open := func(c net.Conn) bool {
		c.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Write([]byte("GET /v1/status HTTP/1.1\r\nHost: c\r\n\r\n")); err != nil {
			return false
		}
		// Read to the end: the server closes after its answer (the
		// request has no credentials), so when this returns the place
		// is free again.
		got, _ := io.ReadAll(c)
		return strings.HasPrefix(string(got), "HTTP/1.1 401")
	}
	// Held connections send nothing: the server waits for their headers.
	var held []net.Conn
	hold := func(ip byte, n int) {
		for range n {
			held = append(held, dial(ip))
		}
	}
	// The server accepts in the order of the dials and counts a
	// connection when it accepts it, so the next dial already meets the
	// cap.
	hold(60, 4)
	if open(dial(60)) {
		t.Error("a fifth connection from one address was served over the cap of 4")
	}
	if !open(dial(61)) {
		t.Error("another address was refused")
	}
	hold(61, 2)
	if open(dial(62)) {
		t.Error("a seventh connection in all was served over the cap of 6")
	}
	held[0].Close()
	// The place comes back once the server has read the close.
	testtime.Until(t, "a closed connection to give its place back", func() bool { return open(dial(60)) })
	for _, c := range held {
		c.Close() // before the server shuts down, which would wait for them
	}
}
