package uplink

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// wireCounter counts the bytes that cross every connection the client's
// transport dials: TLS handshakes and records, request and status lines,
// headers and bodies, as the data pack pays for them. (TCP and IP headers
// and the kernel's keep-alives are below it.)
type wireCounter struct{ read, written atomic.Int64 }

// total is the bytes written and read so far.
func (w *wireCounter) total() (written, read int64) { return w.written.Load(), w.read.Load() }

// install makes tr dial through w.
func (w *wireCounter) install(tr *http.Transport) {
	dial := tr.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &countedConn{Conn: c, w: w}, nil
	}
}

type countedConn struct {
	net.Conn
	w *wireCounter
}

func (c *countedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.w.read.Add(int64(n))
	return n, err
}

func (c *countedConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.w.written.Add(int64(n))
	return n, err
}
