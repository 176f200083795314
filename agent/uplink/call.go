package uplink

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/sync/wire"
)

// clockSlack is how far the server's clock may be from ours before the
// client signs with the server's time instead.
const clockSlack = 30 * time.Second

// call makes one signed request and decodes the answer into into. It
// refuses, before sending, a request that would go past the day's byte
// budget, and counts what crossed the link either way. A request refused
// for a stale timestamp is sent once more with the server's clock.
func (c *Client) call(ctx context.Context, method, uri string, body, into any, r *Round) error {
	for attempt := 0; ; attempt++ {
		c.beat.Progress()
		now := c.now().Add(time.Duration(c.offset.Load()))
		req, n, err := wire.NewRequest(ctx, method, c.opts.Server, uri, body, c.opts.StoreID, c.opts.Secret, now)
		if err != nil {
			return err
		}
		sent := int64(n) + requestOverhead(req)
		path := pathOf(uri)
		if err := c.checkBudget(sent + c.expectReply(path)); err != nil {
			return err
		}
		w0, r0 := c.wireTotal()
		resp, err := c.opts.HTTP.Do(req)
		if err != nil {
			sent, received := c.onWire(w0, r0, sent, 0)
			c.countBytes(sent, received, r)
			return fmt.Errorf("%s %s: %w", method, pathOf(uri), err)
		}
		got, err := wire.ReadResponse(resp, into)
		received := int64(got) + responseOverhead(resp)
		sent, received = c.onWire(w0, r0, sent, received)
		c.countBytes(sent, received, r)
		c.noteReply(path, received)
		c.noteClock(resp.Header)
		var werr *wire.Error
		if errors.As(err, &werr) && werr.Code == wire.CodeStaleTimestamp && attempt == 0 {
			continue
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, pathOf(uri), err)
		}
		return nil
	}
}

// Replies expected before any is seen: a push answer lists its records, a
// catalog page holds up to PageItems items.
const (
	defaultPushReply = 1 << 10
	itemReplyBytes   = 64 // one item, gzipped
)

// expectReply is the largest reply seen on path (or a default), reserved
// from the budget before a request is sent, so a day's bytes stay within
// the cap unless a reply is larger than any before it.
func (c *Client) expectReply(path string) int64 {
	c.repliesMu.Lock()
	defer c.repliesMu.Unlock()
	if n, ok := c.replies[path]; ok {
		return n
	}
	if path == wire.PathCatalog {
		return int64(c.opts.PageItems) * itemReplyBytes
	}
	return defaultPushReply
}

func (c *Client) noteReply(path string, n int64) {
	c.repliesMu.Lock()
	defer c.repliesMu.Unlock()
	if n > c.replies[path] {
		c.replies[path] = n
	}
}

// noteClock follows the server's clock when ours is off by more than
// clockSlack, so a Pi that booted without NTP can still sign.
func (c *Client) noteClock(h http.Header) {
	t, ok := wire.ServerTime(h)
	if !ok {
		return
	}
	off := t.Sub(c.now())
	if off < clockSlack && off > -clockSlack {
		off = 0
	}
	if old := time.Duration(c.offset.Swap(int64(off))); old != off && off != 0 {
		c.log.Warn().Stringer("offset", off.Round(time.Millisecond)).Msg("local clock is off; signing with the server's time")
	}
}

// checkBudget fails with ErrBudget if sending n more bytes, with what the
// open connections may still cost to close, would go past today's budget.
func (c *Client) checkBudget(n int64) error {
	if c.opts.DailyBytes == 0 {
		return nil
	}
	c.catchUp()
	day := c.day()
	var used int64
	err := c.opts.DB.View(func(tx *store.Tx) error {
		s, err := loadState(tx.Bolt())
		sent, recv := s.bytesOn(day)
		us, ur := c.unsaved.bytesOn(day)
		used = sent + recv + us + ur + c.wire.tail()
		return err
	})
	if err != nil {
		return err
	}
	if used+n > c.opts.DailyBytes {
		return fmt.Errorf("%d of %d bytes used today, next request needs %d: %w", used, c.opts.DailyBytes, n, ErrBudget)
	}
	return nil
}

// wireTotal is the bytes written and read on the transport's connections
// so far; zero without a counter.
func (c *Client) wireTotal() (written, read int64) {
	if c.opts.wire == nil {
		return 0, 0
	}
	return c.opts.wire.total()
}

// onWire is what one request cost on the wire since wireTotal gave w0 and
// r0: the handshake of a new connection, TLS records and headers included.
// Without a counter it is the estimate, sent and received.
func (c *Client) onWire(w0, r0, sent, received int64) (int64, int64) {
	if c.opts.wire == nil {
		return sent, received
	}
	w1, r1 := c.opts.wire.total()
	return w1 - w0, r1 - r0
}

// countBytes adds to the round's counts and to today's, which the round's
// end writes to the store (see unsaved). Without a counter on the
// transport today's gets the estimate; with one it catches up with it.
func (c *Client) countBytes(sent, received int64, r *Round) {
	r.BytesSent += sent
	r.BytesReceived += received
	if c.opts.wire == nil {
		c.unsaved.add(c.day(), sent, received)
	}
	c.catchUp()
}

// catchUp adds to today's count what crossed the counted connections
// since it last did: sync's, and the others given to CountConn, open or
// closed.
func (c *Client) catchUp() {
	w, r := c.wire.take()
	c.unsaved.add(c.day(), w, r)
}

func (c *Client) day() string { return c.now().In(c.opts.Location).Format("20060102") }

// requestOverhead estimates the request line and headers as sent.
func requestOverhead(r *http.Request) int64 {
	n := len(r.Method) + 1 + len(r.URL.RequestURI()) + len(" HTTP/1.1\r\n") + len("Host: \r\n") + len(r.URL.Host)
	if r.Body != nil && r.Body != http.NoBody {
		n += len("Content-Length: 0000\r\n")
	}
	n += len("\r\n")
	return int64(n) + headerBytes(r.Header)
}

// responseOverhead estimates the status line and headers as received.
func responseOverhead(resp *http.Response) int64 {
	return int64(len("HTTP/1.1 200 OK\r\n\r\n")) + headerBytes(resp.Header)
}

func headerBytes(h http.Header) int64 {
	var n int
	for k, vs := range h {
		for _, v := range vs {
			if k == "User-Agent" && v == "" { // net/http sends none
				continue
			}
			n += len(k) + 2 + len(v) + 2
		}
	}
	return int64(n)
}

// pathOf drops the query from uri for errors and logs.
func pathOf(uri string) string {
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		return uri[:i]
	}
	return uri
}
