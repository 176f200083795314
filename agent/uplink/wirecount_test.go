package uplink

import (
	"net"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/internal/testkit"
)

// The daily cap once counted bodies and estimated headers, and missed the
// TLS handshake and records: about 38% of what the link carried. It now
// counts what crosses the connection, which is what the server's side of
// it sees.
func TestBytesCountedAreTheBytesOnTheWire(t *testing.T) {
	_, plain := newFake(t, func() time.Time { return t0 })
	var (
		mu    sync.Mutex
		conns []*countedConn
	)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(plain.Config.Handler)
	srv.Listener = acceptFunc{ln, func(c net.Conn) net.Conn {
		cc := &countedConn{Conn: c, w: &wireCounter{}}
		mu.Lock()
		conns = append(conns, cc)
		mu.Unlock()
		return cc
	}}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	db := newDB(t, func() time.Time { return t0 })
	testkit.Update(t, db, func(tx *bbolt.Tx) error { addOrder(t, tx, "AAAAA"); return nil })
	c := newClient(t, db, srv.URL, func() time.Time { return t0 }, func(o *Options) { o.HTTP = srv.Client() })
	r := syncNow(t, c)

	var onWireRead, onWireWritten int64
	mu.Lock()
	defer mu.Unlock()
	for _, cc := range conns {
		w, rd := cc.w.total()
		onWireRead += rd
		onWireWritten += w
	}
	if onWireRead == 0 {
		t.Fatal("the server saw no bytes")
	}
	if r.BytesSent != onWireRead || r.BytesReceived != onWireWritten {
		t.Errorf("counted %d sent, %d received; the server read %d and wrote %d", r.BytesSent, r.BytesReceived, onWireRead, onWireWritten)
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
