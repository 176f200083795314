package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/balance"
	"github.com/tokrihq/tokri/agent/shop"
	agentussd "github.com/tokrihq/tokri/agent/ussd"
	"github.com/tokrihq/tokri/internal/backoff"
	"github.com/tokrihq/tokri/modem"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/ussd"
	"github.com/tokrihq/tokri/protocol/ussd/gateway"
	"github.com/tokrihq/tokri/sync/relay"
	"github.com/tokrihq/tokri/sync/wire"
)

// ussdParts are the long-lived parts of the USSD channel the config asks
// for: the relay connection to central (with [sync]) and the direct
// callback listener ([ussd] listen).
func (c *RunMain) ussdParts(sh *shop.Shop) ([]func(context.Context) error, error) {
	eng := agentussd.New(agentussd.Options{DB: c.db, Shop: sh, Log: c.log, Now: c.clock.Now})
	var parts []func(context.Context) error
	if c.cfg.Sync.Server != "" && *c.cfg.USSD.Relay {
		secret, err := c.cfg.Sync.ReadSecret()
		if err != nil {
			return nil, err
		}
		var tlsConf *tls.Config
		if pin := c.cfg.Sync.Pin(); pin != "" {
			if tlsConf, err = wire.PinnedTLSConfig(pin); err != nil {
				return nil, fmt.Errorf("sync pin: %w", err)
			}
		}
		rc, err := relay.NewClient(relay.ClientOptions{
			Server: c.cfg.Sync.Server, StoreID: c.cfg.Sync.StoreID, Secret: secret, TLS: tlsConf,
			Number: c.cfg.Agent.OwnNumber, Lang: protocol.Lang(c.cfg.Shop.Language), Step: eng.Step, Log: c.log, Now: c.clock.Now,
			Backoff: backoff.Policy{Base: 2 * time.Second, Max: 2 * time.Minute, Jitter: 0.25},
		})
		if err != nil {
			return nil, err
		}
		parts = append(parts, rc.Run)
	}
	if addr := c.cfg.USSD.Listen; addr != "" {
		h := ussdHandler(eng, c.cfg.USSD.Token, c.cfg.Agent.OwnNumber, protocol.Lang(c.cfg.Shop.Language), c.log)
		parts = append(parts, func(ctx context.Context) error { return serveHTTP(ctx, addr, h) })
	}
	return parts, nil
}

// ussdHandler serves every aggregator format at /ussd/{format}/{token};
// a step the engine cannot answer ends with the shop's SMS number, in
// the shop's language.
func ussdHandler(eng *agentussd.Engine, token, own string, lang protocol.Lang, log zerolog.Logger) http.Handler {
	mux := http.NewServeMux()
	for _, name := range gateway.Names() {
		f, _ := gateway.Lookup(name)
		mux.Handle("POST /ussd/"+name+"/"+token, gateway.Handler(f, eng.Step, func(error) string { return ussd.Away(lang, own) }, log))
	}
	return mux
}

// serveHTTP serves h on addr until ctx ends.
func serveHTTP(ctx context.Context, addr string, h http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("ussd listen: %w", err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("ussd serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// balanceChecker runs modem.balance_code through the agent's modem, or is
// nil when none is set.
func (c *RunMain) balanceChecker(a *agent.Agent) *balance.Checker {
	cfg := c.cfg.Modem
	if cfg.BalanceCode == "" {
		return nil
	}
	return balance.New(balance.Options{
		DB:   c.db,
		Code: cfg.BalanceCode,
		USSD: func(ctx context.Context, code string) (string, error) {
			// At start the modem is still coming up: wait for it.
			for {
				if m := a.Modem(); m != nil {
					r, err := m.USSD(ctx, code)
					if !errors.Is(err, modem.ErrNotReady) {
						return r.Text, err
					}
				}
				select {
				case <-ctx.Done():
					return "", fmt.Errorf("modem not ready: %w", ctx.Err())
				case <-time.After(2 * time.Second):
				}
			}
		},
		Every:     cfg.BalanceEvery.Duration,
		Low:       int64(cfg.BalanceLow*100 + 0.5),
		Operators: c.cfg.Shop.Operators,
		Log:       c.log,
		Now:       c.clock.Now,
	})
}
