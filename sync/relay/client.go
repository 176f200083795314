package relay

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/backoff"
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
	TLS     *tls.Config // e.g. wire.PinnedTLSConfig; nil verifies as usual
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
	// Quiet is how long a connection may stay silent (central pings every
	// 25 s) before the agent takes it for dead. Default 80 s.
	Quiet time.Duration
}

// Client is the agent's end: it keeps one connection to central open and
// answers the steps relayed on it.
type Client struct {
	opts ClientOptions
	log  zerolog.Logger
	hc   *http.Client
	up   atomic.Bool
}

// NewClient returns a Client; Run connects.
func NewClient(opts ClientOptions) (*Client, error) {
	if opts.Server == "" || opts.StoreID == "" || opts.Secret == "" || opts.Step == nil || opts.Backoff.Base <= 0 {
		return nil, errors.New("relay: client needs server, store, secret, step and backoff")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Quiet == 0 {
		opts.Quiet = 80 * time.Second
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = opts.TLS
	tr.ForceAttemptHTTP2 = false // an upgrade needs HTTP/1.1
	return &Client{opts: opts, log: opts.Log.With().Str("component", "relay").Logger(), hc: &http.Client{Transport: tr}}, nil
}

// Connected says whether the connection is up now.
func (c *Client) Connected() bool { return c.up.Load() }

// Run keeps the connection open until ctx ends, reconnecting with
// back-off; a connection that was up resets the back-off.
func (c *Client) Run(ctx context.Context) error {
	failures := 0
	for ctx.Err() == nil {
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
		_ = c.opts.Backoff.Sleep(ctx, wait) // an ended ctx ends the loop
	}
	return nil
}

// connectAndServe opens one connection and answers steps on it until it
// ends; up says whether it got as far as serving.
func (c *Client) connectAndServe(ctx context.Context) (up bool, err error) {
	rwc, cd, err := c.connect(ctx)
	if err != nil {
		return false, err
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
	// A connection silent for Quiet is dead (a NAT forgot it): close it.
	watchdog := time.AfterFunc(c.opts.Quiet, func() { rwc.Close() })
	defer watchdog.Stop()
	var steps sync.WaitGroup
	defer steps.Wait()
	for {
		f, err := cd.read()
		if err != nil {
			return true, fmt.Errorf("relay read: %w", err)
		}
		watchdog.Reset(c.opts.Quiet)
		switch f.Type {
		case typePing:
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

// connect makes the signed upgrade request and returns the connection
// and its codec.
func (c *Client) connect(ctx context.Context) (io.ReadWriteCloser, *codec, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(c.opts.Server, "/")+Path, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("relay request: %w", err)
	}
	r.Header.Set("Connection", "Upgrade")
	r.Header.Set("Upgrade", Protocol)
	r.Header.Set("User-Agent", "")
	a := wire.Sign(c.opts.Secret, r.Method, r.URL.RequestURI(), c.opts.StoreID, c.opts.Now().Unix(), wire.NewNonce(), nil)
	a.SetHeaders(r.Header)
	resp, err := c.hc.Do(r)
	if err != nil {
		return nil, nil, fmt.Errorf("relay connect: %w", err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		resp.Body.Close()
		return nil, nil, fmt.Errorf("relay connect: %s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	rwc, ok := resp.Body.(io.ReadWriteCloser)
	if !ok {
		resp.Body.Close()
		return nil, nil, errors.New("relay connect: the upgraded body is not writable")
	}
	cd := &codec{key: sessionKey(c.opts.Secret, a.Nonce, resp.Header.Get(HeaderNonce)), out: fromAgent, in: fromCentral, r: bufio.NewReader(rwc), w: rwc}
	return rwc, cd, nil
}
