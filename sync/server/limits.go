package server

import (
	"net"
	"sync"
	"time"

	"github.com/tokrihq/tokri/sync/wire"
)

// Limits bound what a client can take from the server before it has
// proved who it is. The zero value of each field takes its default.
type Limits struct {
	// MaxConns caps open connections in all; more are closed at once.
	// Default 512, and never above the process's descriptor limit less a
	// margin for storage and logs.
	MaxConns int
	// MaxConnsPerIP caps open connections from one address. Default 32:
	// a store's agent uses two or three (sync, the USSD relay), and
	// stores on one mobile operator can share a carrier-grade NAT
	// address.
	MaxConnsPerIP int
	// PreAuthBody is how much body is read for a request whose headers
	// passed the checks that need no body (form, known store, fresh
	// timestamp) without holding a large-body slot. Default 64 KiB.
	PreAuthBody int64
	// LargeBodies caps the requests reading a body above PreAuthBody at
	// once; others wait for a slot while their client waits. Default 4,
	// so bodies in flight hold at most 4 x wire.MaxBodyBytes.
	LargeBodies int
	// ReadHeaderTimeout bounds the request line and headers. Default 20s:
	// a 2G link delivers a few hundred bytes of headers in well under that.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds a whole request, body included. Default 2m (a
	// push of a few hundred KB over 2G).
	ReadTimeout time.Duration
	// WriteTimeout bounds writing an answer. Default 2m.
	WriteTimeout time.Duration
	// IdleTimeout closes a kept-alive connection with no request. Default
	// 60s.
	IdleTimeout time.Duration
}

// Limit defaults.
const (
	DefaultMaxConns          = 512
	DefaultMaxConnsPerIP     = 32
	DefaultPreAuthBody       = 64 << 10
	DefaultLargeBodies       = 4
	DefaultReadHeaderTimeout = 20 * time.Second
	DefaultReadTimeout       = 2 * time.Minute
	DefaultWriteTimeout      = 2 * time.Minute
	DefaultIdleTimeout       = wire.IdleClose
)

// fdMargin is kept free of the descriptor limit for storage, logs and the
// listener itself.
const fdMargin = 64

func (l Limits) withDefaults() Limits {
	l.MaxConns = orDefault(l.MaxConns, DefaultMaxConns)
	if n := openFileLimit(); n > 0 && l.MaxConns > n-fdMargin {
		l.MaxConns = max(n-fdMargin, 1)
	}
	l.MaxConnsPerIP = orDefault(l.MaxConnsPerIP, DefaultMaxConnsPerIP)
	l.PreAuthBody = orDefault(l.PreAuthBody, DefaultPreAuthBody)
	l.LargeBodies = orDefault(l.LargeBodies, DefaultLargeBodies)
	l.ReadHeaderTimeout = orDefault(l.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	l.ReadTimeout = orDefault(l.ReadTimeout, DefaultReadTimeout)
	l.WriteTimeout = orDefault(l.WriteTimeout, DefaultWriteTimeout)
	l.IdleTimeout = orDefault(l.IdleTimeout, DefaultIdleTimeout)
	return l
}

// orDefault is v, or def where v is zero or negative: the unset value of
// every limit.
func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// connLimiter is a net.Listener that closes connections over its caps as
// soon as they are accepted, before a byte is read from them.
type connLimiter struct {
	net.Listener
	max, perIP int
	onRefuse   func(ip string)

	mu   sync.Mutex // guards following
	open int
	byIP map[string]int
}

func newConnLimiter(ln net.Listener, l Limits, onRefuse func(string)) *connLimiter {
	return &connLimiter{Listener: ln, max: l.MaxConns, perIP: l.MaxConnsPerIP, onRefuse: onRefuse, byIP: map[string]int{}}
}

func (cl *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := cl.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := hostOf(c.RemoteAddr())
		cl.mu.Lock()
		ok := cl.open < cl.max && cl.byIP[ip] < cl.perIP
		if ok {
			cl.open++
			cl.byIP[ip]++
		}
		cl.mu.Unlock()
		if !ok {
			c.Close()
			if cl.onRefuse != nil {
				cl.onRefuse(ip)
			}
			continue
		}
		return &limitedConn{Conn: c, cl: cl, ip: ip}, nil
	}
}

func (cl *connLimiter) release(ip string) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	cl.open--
	if cl.byIP[ip]--; cl.byIP[ip] <= 0 {
		delete(cl.byIP, ip)
	}
}

func hostOf(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.IP.String()
	}
	h, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return h
}

// limitedConn gives its place back once, on the first Close.
type limitedConn struct {
	net.Conn
	cl   *connLimiter
	ip   string
	once sync.Once
}

func (c *limitedConn) Close() error {
	c.once.Do(func() { c.cl.release(c.ip) })
	return c.Conn.Close()
}
