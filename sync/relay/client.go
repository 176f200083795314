package relay

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/backoff"
	"github.com/tokrihq/tokri/internal/heartbeat"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/ussd"
	"github.com/tokrihq/tokri/sync/wire"
)

// ClientOptions configure a Client. Server, StoreID, Secret, Step and
// Backoff are required.
type ClientOptions struct {
	Server  string // central's base URL, as for sync
	StoreID string
	Secret  string
	TLS     *tls.Config // e.g. uplink.Client.TLSConfig, which shares sync's session cache; nil verifies as usual
	// Number is the store's SMS number, which central tells shoppers to
	// text while the agent is away.
	Number string
	// Lang is the shop's default language ([shop] language), in which
	// central tells them.
	Lang protocol.Lang
	// Step answers one step of a session.
	Step func(ctx context.Context, req ussd.Request) (ussd.Reply, error)
	// Backoff spaces out reconnections while central cannot be reached;
	// its Base must be set.
	Backoff backoff.Policy
	Log     zerolog.Logger
	Now     func() time.Time
	// Quiet is how long a connection may stay silent before the agent
	// takes it for dead. Default: central's ping interval and half again
	// (see HeaderPing), or 80 s where it says none.
	Quiet time.Duration
	// Conn, when set, wraps each connection the client dials: to count
	// its bytes against the daily data cap.
	Conn func(net.Conn) net.Conn
	// Beats, when set, gets Run's heartbeat: waiting for a frame or to
	// reconnect is healthy, a connect or a write that hangs is not.
	Beats *heartbeat.Board
}

// Client is the agent's end: it keeps one connection to central open and
// answers the steps relayed on it.
type Client struct {
	opts ClientOptions
	log  zerolog.Logger
	hc   *http.Client
	up   atomic.Bool
	beat *heartbeat.Loop
}

// NewClient returns a Client; Run connects.
func NewClient(opts ClientOptions) (*Client, error) {
	if opts.Server == "" || opts.StoreID == "" || opts.Secret == "" || opts.Step == nil || opts.Backoff.Base <= 0 {
		return nil, errors.New("relay: client needs server, store, secret, step and backoff")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = opts.TLS
	tr.ForceAttemptHTTP2 = false // an upgrade needs HTTP/1.1
	// No kernel keep-alives: central's pings keep the connection alive
	// and check it, and each probe and its ACK cost the data pack 104 B.
	dial := (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: -1}).DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err == nil && opts.Conn != nil {
			conn = opts.Conn(conn)
		}
		return conn, err
	}
	return &Client{opts: opts, log: opts.Log.With().Str("component", "relay").Logger(), hc: &http.Client{Transport: tr},
		beat: opts.Beats.Loop("ussd relay", 2*time.Minute)}, nil
}

// Connected says whether the connection is up now.
func (c *Client) Connected() bool { return c.up.Load() }

// Run keeps the connection open until ctx ends, reconnecting with
// back-off; a connection that was up resets the back-off.
func (c *Client) Run(ctx context.Context) error {
	failures := 0
	for ctx.Err() == nil {
		c.beat.Beat()
		was, err := c.connectAndServe(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if was {
			failures = 0
		}
		failures++
		wait := c.opts.Backoff.Delay(failures)
		c.log.Warn().Err(err).Dur("retry_in", wait).Msg("ussd relay down")
		c.beat.Wait()
		_ = c.opts.Backoff.Sleep(ctx, wait) // an ended ctx ends the loop
	}
	return nil
}

// connectAndServe opens one connection and answers steps on it until it
// ends; up says whether it got as far as serving.
func (c *Client) connectAndServe(ctx context.Context) (up bool, err error) {
	rwc, cd, every, err := c.connect(ctx)
	if err != nil {
		return false, err
	}
	return c.serve(ctx, rwc, cd, every)
}

// serve says hello on a connection to a central that pings every every
// (0 if it did not say), and answers steps on it until it ends.
func (c *Client) serve(ctx context.Context, rwc io.ReadWriteCloser, cd *codec, every time.Duration) (up bool, err error) {
	quiet := c.opts.Quiet
	if quiet == 0 {
		quiet = quietAfter(every)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		<-ctx.Done()
		rwc.Close()
	}()
	var wmu sync.Mutex
	write := func(f frame) error {
		wmu.Lock()
		defer wmu.Unlock()
		return cd.write(f)
	}
	if err := write(frame{Type: typeHello, Number: c.opts.Number, Lang: c.opts.Lang}); err != nil {
		return false, fmt.Errorf("relay hello: %w", err)
	}
	c.up.Store(true)
	defer c.up.Store(false)
	c.log.Info().Msg("ussd relay connected")
	// A connection silent for quiet is dead (a NAT forgot it): close it.
	watchdog := time.AfterFunc(quiet, func() { rwc.Close() })
	defer watchdog.Stop()
	var steps sync.WaitGroup
	defer steps.Wait()
	for {
		c.beat.Wait() // central pings; Quiet ends a connection gone silent
		f, err := cd.read()
		c.beat.Beat()
		if err != nil {
			return true, fmt.Errorf("relay read: %w", err)
		}
		watchdog.Reset(quiet)
		switch f.Type {
		case typePing:
			if every > 0 {
				continue // central wants no pong
			}
			if err := write(frame{Type: typePong}); err != nil {
				return true, err
			}
		case typeStep:
			if f.Req == nil {
				return true, fmt.Errorf("%w: step without a request", ErrBadFrame)
			}
			steps.Add(1)
			go func(id uint64, req ussd.Request) {
				defer steps.Done()
				out := frame{Type: typeReply, ID: id}
				rep, err := c.opts.Step(ctx, req)
				if err != nil {
					c.log.Warn().Err(err).Msg("ussd step failed")
					out.Err = "step failed"
				} else {
					out.Rep = &rep
				}
				if err := write(out); err != nil {
					rwc.Close()
				}
			}(f.ID, *f.Req)
		}
	}
}

// quietAfter is how long a connection to a central that pings every
// every may be silent: one interval and half again, for a ping late on a
// slow link; 80 s for a central that says no interval (25 s pings).
func quietAfter(every time.Duration) time.Duration {
	if every <= 0 {
		return 80 * time.Second
	}
	return every + every/2
}

// connect makes the signed upgrade request and returns the connection,
// its codec, and the ping interval central says (0 if none).
func (c *Client) connect(ctx context.Context) (io.ReadWriteCloser, *codec, time.Duration, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(c.opts.Server, "/")+Path, nil)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("relay request: %w", err)
	}
	r.Header.Set("Connection", "Upgrade")
	r.Header.Set("Upgrade", Protocol)
	r.Header.Set(HeaderPing, "1") // this agent follows central's interval and sends no pong
	r.Header.Set("User-Agent", "")
	a := wire.Sign(c.opts.Secret, r.Method, r.URL.RequestURI(), c.opts.StoreID, c.opts.Now().Unix(), wire.NewNonce(), nil)
	a.SetHeaders(r.Header)
	resp, err := c.hc.Do(r)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("relay connect: %w", err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		resp.Body.Close()
		return nil, nil, 0, fmt.Errorf("relay connect: %s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	rwc, ok := resp.Body.(io.ReadWriteCloser)
	if !ok {
		resp.Body.Close()
		return nil, nil, 0, errors.New("relay connect: the upgraded body is not writable")
	}
	cd := &codec{key: sessionKey(c.opts.Secret, a.Nonce, resp.Header.Get(HeaderNonce)), out: fromAgent, in: fromCentral, r: bufio.NewReader(rwc), w: rwc}
	secs, _ := strconv.Atoi(resp.Header.Get(HeaderPing))
	return rwc, cd, time.Duration(max(secs, 0)) * time.Second, nil
}
