package uplink

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/backoff"
	"github.com/tokrihq/tokri/internal/heartbeat"
	"github.com/tokrihq/tokri/sync/outbox"
)

// Client syncs one store's agent with the central server.
type Client struct {
	opts   Options
	log    zerolog.Logger
	now    func() time.Time
	offset atomic.Int64 // server clock minus ours, ns; 0 while within clockSlack
	retry  backoff.Policy
	beat   *heartbeat.Loop // Run's

	repliesMu sync.Mutex       // guards replies
	replies   map[string]int64 // largest reply seen per path, in bytes

	roundMu sync.Mutex // held for a whole round, so rounds never overlap
	unsaved unsaved    // idle rounds' bookkeeping, written at most hourly

	// wire counts the bytes of the transport's connections when it is
	// an *http.Transport (then opts.wire), and of those given to
	// CountConn.
	wire *wireCounter
}

// Round says what one round did.
type Round struct {
	Pushed         int // records the server acknowledged (including duplicates)
	Duplicates     int // of Pushed, records the server already had
	Rejected       int // records the server refused for good, set aside
	Items          int // catalog items applied
	Withdrawn      int // of Items, items newly withdrawn centrally
	CatalogVersion uint64
	BytesSent      int64
	BytesReceived  int64
}

// Status is what an operator sees of sync.
type Status struct {
	LastSuccess        time.Time
	LastAttempt        time.Time
	Pending            int // outbox records waiting for the server
	Rejected           int // records set aside because the server refused them
	BytesSentToday     int64
	BytesReceivedToday int64
	DailyBytes         int64 // the budget, 0 for none
	LastError          string
	CatalogVersion     uint64
}

// New returns a client; it does nothing until Run or SyncNow.
func New(opts Options) (*Client, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	wire := opts.wire
	if wire == nil {
		wire = &wireCounter{}
	}
	return &Client{
		wire:    wire,
		opts:    opts,
		log:     opts.Log.With().Str("component", "sync").Logger(),
		now:     opts.Now,
		replies: make(map[string]int64),
		// Equal jitter: agents cut off by the same outage do not all
		// come back in the same second, and none retries sooner than
		// half the step.
		retry: backoff.Policy{Base: opts.MinBackoff, Max: opts.MaxBackoff, Jitter: 0.5, Rand: opts.Rand},
		beat:  opts.Beats.Loop("sync", opts.Timeout+time.Minute),
	}, nil
}

// Run syncs in the background until ctx ends: a round every Interval while
// rounds succeed, sooner when Options.Wake fires, with growing jittered waits while
// they fail, and not again until the next day once the byte budget is
// spent. It returns nil when ctx ends.
func (c *Client) Run(ctx context.Context) error {
	defer c.opts.HTTP.CloseIdleConnections()
	failures := 0
	for {
		c.beat.Beat()
		r, err := c.SyncNow(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := c.opts.Interval
		switch {
		case err == nil:
			failures = 0
			if r.Pushed+r.Rejected+r.Items > 0 {
				c.log.Info().Int("pushed", r.Pushed).Int("items", r.Items).Uint64("catalog_version", r.CatalogVersion).
					Int64("bytes_sent", r.BytesSent).Int64("bytes_received", r.BytesReceived).Msg("synced")
			}
		case errors.Is(err, ErrBudget):
			failures = 0
			wait = min(c.untilNextDay(), c.opts.Interval)
			c.log.Info().Err(err).Stringer("wait", wait.Round(time.Millisecond)).Msg("sync paused by the byte budget")
		default:
			failures++
			wait = c.retry.Delay(failures)
			c.log.Warn().Err(err).Int("failures", failures).Stringer("retry_in", wait.Round(time.Millisecond)).Msg("sync round failed")
		}
		c.beat.Wait()
		t := time.NewTimer(wait)
		var wake <-chan struct{}
		if failures == 0 {
			wake = c.opts.Wake // a link that is down is not retried sooner for new work
		}
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		case <-wake:
			t.Stop()
		}
	}
}

// SyncNow runs one round now (after any round already running) and says
// what it did. A round stops at its first failure; what it finished before
// stays done.
func (c *Client) SyncNow(ctx context.Context) (Round, error) {
	c.roundMu.Lock()
	defer c.roundMu.Unlock()
	var r Round
	current, known, err := c.push(ctx, &r)
	if err == nil {
		// Pull only after a push that emptied the queue, so the stock
		// the server sends already counts every movement acknowledged;
		// and not at all when the push answer showed the catalog has
		// nothing the agent lacks.
		err = c.pull(ctx, &r, current, known)
	}
	now := c.now().UTC()
	var lastError string
	var catalogVersion uint64
	serr := c.opts.DB.View(func(tx *store.Tx) error {
		s, err := loadState(tx.Bolt())
		lastError, catalogVersion = s.LastError, s.CatalogVersion
		return err
	})
	if serr == nil && c.unsaved.idle(now, r, err, lastError) {
		r.CatalogVersion = catalogVersion
		return r, nil
	}
	serr = c.opts.DB.Update(func(tx *store.Tx) error {
		return updateState(tx.Bolt(), func(s *state) {
			c.unsaved.flush(s, now)
			s.LastAttempt = now
			if err == nil {
				s.LastSuccess, s.LastError = now, ""
			} else {
				s.LastError = err.Error()
			}
			r.CatalogVersion = s.CatalogVersion
		})
	})
	return r, errors.Join(err, serr)
}

// Status reads the stored state; a failure to read shows as LastError.
func (c *Client) Status() Status {
	st := Status{DailyBytes: c.opts.DailyBytes}
	c.catchUp()
	day := c.day()
	err := c.opts.DB.View(func(tx *store.Tx) error {
		s, err := loadState(tx.Bolt())
		if err != nil {
			return err
		}
		st.LastSuccess, st.LastAttempt, st.LastError, st.CatalogVersion = s.LastSuccess, s.LastAttempt, s.LastError, s.CatalogVersion
		st.BytesSentToday, st.BytesReceivedToday = s.bytesOn(day)
		us, ur := c.unsaved.bytesOn(day)
		st.BytesSentToday += us
		st.BytesReceivedToday += ur
		if st.Pending, err = outbox.Count(tx.Bolt()); err != nil {
			return err
		}
		st.Rejected, err = countRejected(tx.Bolt())
		return err
	})
	if err != nil {
		st.LastError = err.Error()
	}
	c.unsaved.overlay(&st)
	return st
}

// CountConn returns conn with its bytes counted in today's, against the
// daily cap, as sync's own are: for the agent's other links to central
// (the USSD relay's connection).
func (c *Client) CountConn(conn net.Conn) net.Conn { return c.wire.count(conn) }

// TLSConfig is a copy of sync's TLS config, its pin, key exchange and
// session cache, for the agent's other links to central: one resumes the
// session another began. Nil when the client was given an HTTP transport
// it cannot configure.
func (c *Client) TLSConfig() *tls.Config {
	if c.opts.tls == nil {
		return nil
	}
	return c.opts.tls.Clone()
}

// untilNextDay is the time left in the budget's day.
func (c *Client) untilNextDay() time.Duration {
	now := c.now().In(c.opts.Location)
	y, m, d := now.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, c.opts.Location).Sub(now)
}
