package uplink

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// The daily cap once counted bodies and estimated headers, and missed the
// TLS handshake and records: about 38% of what the link carried. Then it
// counted what crossed the connection, and missed the IP and TCP headers
// of every segment: 73%. It now counts both: what the server's side of
// the connection saw, and a whole header for each segment besides.
func TestBytesCountedAreTheBytesOnTheWire(t *testing.T) {
	_, plain := newFake(t, func() time.Time { return t0 })
	var (
		mu    sync.Mutex
		conns []*wireCounter
	)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(plain.Config.Handler)
	// A connection is idle again once its response is written whole; the
	// client may have read that response before the server's write
	// returned and was counted, so the counts are read when none is busy.
	var busy atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateActive:
			busy.Add(1)
		case http.StateIdle:
			busy.Add(-1)
		}
	}
	srv.Listener = acceptFunc{ln, func(c net.Conn) net.Conn {
		w := &wireCounter{}
		mu.Lock()
		conns = append(conns, w)
		mu.Unlock()
		return w.count(c)
	}}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	db := newDB(t, func() time.Time { return t0 })
	testkit.Update(t, db, func(tx *bbolt.Tx) error { addOrder(t, tx, "AAAAA"); return nil })
	c := newClient(t, db, srv.URL, func() time.Time { return t0 }, func(o *Options) { o.HTTP = srv.Client() })
	r := syncNow(t, c)
	testtime.Until(t, "the server's responses written", func() bool { return busy.Load() == 0 })

	var onWire dir
	mu.Lock()
	defer mu.Unlock()
	for _, w := range conns {
		w.mu.Lock()
		onWire = onWire.plus(w.app)
		w.mu.Unlock()
	}
	if onWire.read == 0 {
		t.Fatal("the server saw no bytes")
	}
	// What is left is headers: whole ones, at least the handshake's.
	for _, d := range []struct {
		name            string
		counted, server int64
		segs            int64
	}{{"sent", r.BytesSent, onWire.read, 2}, {"received", r.BytesReceived, onWire.written, 1}} {
		headers := d.counted - d.server - synOptions
		if headers < d.segs*ipv4Header || headers%ipv4Header != 0 {
			t.Errorf("counted %d %s, the server's side %d: %d is not the headers of %d segments or more", d.counted, d.name, d.server, headers, d.segs)
		}
	}
}

// The kernel's own count of a connection's segments is read while it is
// open and once more when it closes, with what the close is still to
// cost; a connection given to CountConn is spent from the daily cap as
// sync's own are.
func TestCountConnSpendsTheCap(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // echoes, and closes when the client does
		c, err := ln.Accept()
		if err == nil {
			io.Copy(c, c)
			c.Close()
		}
	}()
	db := newDB(t, func() time.Time { return t0 })
	cl := newClient(t, db, "https://central.example", func() time.Time { return t0 }, nil)
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn := cl.CountConn(raw)
	spent := func() int64 { st := cl.Status(); return st.BytesSentToday + st.BytesReceivedToday }
	if got := spent(); got < 3*ipv4Header {
		t.Errorf("after the handshake %d B spent, want its three segments' headers at least", got)
	}
	const payload = 1000
	if _, err := conn.Write(make([]byte, payload)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(conn, make([]byte, payload)); err != nil {
		t.Fatal(err)
	}
	open := spent()
	// Handshake 3, the write and its echo 2 (which ACKs the write).
	if min := int64(2*payload + 5*ipv4Header + 2*synOptions); open < min {
		t.Errorf("open, %d B spent, want at least %d", open, min)
	}
	if (open-2*payload-2*synOptions)%ipv4Header != 0 {
		t.Errorf("open, %d B spent: not %d B, the handshake's options and whole headers", open, 2*payload)
	}
	conn.Close()
	closed := spent()
	if closed < open+3*ipv4Header {
		t.Errorf("closed, %d B spent, want the close's three segments more than %d", closed, open)
	}
	if again := spent(); again != closed {
		t.Errorf("a closed connection counts again: %d, then %d", closed, again)
	}
}

// A round stopped by the cap once left the open connection's owed ACK
// and close to land after the check, a day's count past its cap by a
// segment or more. The check now keeps them in hand: a request that fits
// only without them is refused, and what the connection then costs to
// close stays within what was kept.
func TestBudgetKeepsAnOpenConnectionsCloseInHand(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			io.Copy(c, c)
			c.Close()
		}
	}()
	const budget = 100_000
	db := newDB(t, func() time.Time { return t0 })
	cl := newClient(t, db, "https://central.example", func() time.Time { return t0 }, func(o *Options) { o.DailyBytes = budget })
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn := cl.CountConn(raw)
	if _, err := conn.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(conn, make([]byte, 4)); err != nil {
		t.Fatal(err)
	}
	spent := func() int64 { st := cl.Status(); return st.BytesSentToday + st.BytesReceivedToday }
	open, tail := spent(), cl.wire.tail()
	if tail < 4*ipv4Header {
		t.Fatalf("an open connection keeps %d B in hand, less than its close's segments", tail)
	}
	if err := cl.checkBudget(budget - open); !errors.Is(err, ErrBudget) {
		t.Errorf("a request that fits only without the close in hand: %v, want ErrBudget", err)
	}
	if err := cl.checkBudget(budget - open - tail); err != nil {
		t.Errorf("a request that fits with the close in hand: %v", err)
	}
	conn.Close()
	if closed := spent(); closed > open+tail {
		t.Errorf("closing cost %d B, more than the %d B kept in hand", closed-open, tail)
	}
	if tail := cl.wire.tail(); tail != 0 {
		t.Errorf("no connection open, %d B still kept in hand", tail)
	}
}

// acceptFunc wraps each accepted connection.
type acceptFunc struct {
	net.Listener
	wrap func(net.Conn) net.Conn
}

func (l acceptFunc) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.wrap(c), nil
}
