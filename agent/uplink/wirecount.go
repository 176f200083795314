package uplink

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// wireCounter counts the bytes that cross every connection it is given,
// at the IP level, as the data pack pays for them: TLS handshakes and
// records, request and status lines, headers and bodies as written and
// read, and an IP and a TCP header for every segment, handshake, ACK and
// close included (see segments).
type wireCounter struct {
	mu sync.Mutex // guards following
	// app is what was written and read through the connections.
	app dir
	// shut is the header bytes of connections closed, each counted once.
	shut dir
	// open are the connections not yet closed; their headers are read at
	// each count.
	open map[*countedConn]struct{}
	// taken is the total the last take returned.
	taken dir
}

// dir is a count each way.
type dir struct{ written, read int64 }

func (d dir) plus(e dir) dir { return dir{d.written + e.written, d.read + e.read} }

// total is the bytes written and read so far.
func (w *wireCounter) total() (written, read int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	t := w.totalLocked()
	return t.written, t.read
}

func (w *wireCounter) totalLocked() dir {
	t := w.app.plus(w.shut)
	for c := range w.open {
		t = t.plus(c.headers(false))
	}
	return t
}

// tail is what the open connections can still cost with no more data on
// them: the ACK each side may owe for what it read, and the close (a FIN
// and an ACK each way). The budget keeps it in hand, so an idle
// connection's last segments never take a day past its cap.
func (w *wireCounter) tail() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	var n int64
	for c := range w.open {
		n += (tailOut + tailIn) * c.header
	}
	return n
}

// Segments an open connection may still cost (see tail): our owed ACK,
// FIN and last ACK; the peer's owed ACK and FIN.
const (
	tailOut = 3
	tailIn  = 2
)

// take is the bytes written and read since the last take.
func (w *wireCounter) take() (written, read int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	t := w.totalLocked()
	d := dir{t.written - w.taken.written, t.read - w.taken.read}
	w.taken = t
	return d.written, d.read
}

// count returns c counted.
func (w *wireCounter) count(c net.Conn) net.Conn {
	cc := &countedConn{Conn: c, w: w, header: ipv4Header}
	if a, ok := c.LocalAddr().(*net.TCPAddr); ok && a.IP.To4() == nil {
		cc.header = ipv6Header
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.open == nil {
		w.open = map[*countedConn]struct{}{}
	}
	w.open[cc] = struct{}{}
	return cc
}

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
		return w.count(c), nil
	}
}

// Header bytes of one segment: an IPv4 or IPv6 header and a TCP header
// with the timestamp option, which Linux, and so the peer, sends on every
// segment.
const (
	ipv4Header = 20 + 32
	ipv6Header = 40 + 32
)

// synOptions is what the handshake's SYN and SYN-ACK each carry beyond
// the timestamp: the MSS, window scale and SACK-permitted options.
const synOptions = 8

// mss is the payload of a full segment (1500 B MTU less the headers),
// for the estimate where the kernel does not say.
const mss = 1500 - ipv4Header

type countedConn struct {
	net.Conn
	w      *wireCounter
	header int64 // bytes of headers per segment

	// Only accessed with w.mu held.
	seen   segs // most segments read so far
	guess  segs // estimated from writes and reads
	closed bool
}

// segs are segments sent and received.
type segs struct{ out, in int64 }

func (c *countedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.add(&c.w.app.read, &c.guess.in, n)
	return n, err
}

func (c *countedConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.add(&c.w.app.written, &c.guess.out, n)
	return n, err
}

// add counts n bytes one way: to the counter's total and to the segments
// the estimate reckons they took.
func (c *countedConn) add(bytes, segments *int64, n int) {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	*bytes += int64(n)
	*segments += (int64(n) + mss - 1) / mss
}

// Close counts the connection's headers for good, with the segments its
// close is still to cost, and closes it.
func (c *countedConn) Close() error {
	c.w.mu.Lock()
	if !c.closed {
		c.closed = true
		c.w.shut = c.w.shut.plus(c.headers(true))
		delete(c.w.open, c)
	}
	c.w.mu.Unlock()
	return c.Conn.Close()
}

// headers is the header bytes of the connection's segments so far, or
// of all of them when closing; w.mu is held.
func (c *countedConn) headers(closing bool) dir {
	s, ok := kernelSegments(c.Conn, closing)
	if !ok {
		// The estimate: a SYN, a SYN-ACK and an ACK to open; for each
		// write or read its full segments and an ACK every other one;
		// a FIN and an ACK each way to close.
		s = segs{2 + c.guess.out + (c.guess.in+1)/2, 1 + c.guess.in + (c.guess.out+1)/2}
		if closing {
			s.out, s.in = s.out+2, s.in+2
		}
	}
	c.seen = segs{max(c.seen.out, s.out), max(c.seen.in, s.in)} // never less than counted before
	return dir{c.seen.out*c.header + synOptions, c.seen.in*c.header + synOptions}
}
