package system

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/balance"
	"github.com/tokrihq/tokri/agent/shop"
	"github.com/tokrihq/tokri/agent/uplink"
	agentussd "github.com/tokrihq/tokri/agent/ussd"
	"github.com/tokrihq/tokri/internal/backoff"
	"github.com/tokrihq/tokri/internal/httpserve"
	"github.com/tokrihq/tokri/modem"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/ussd"
	"github.com/tokrihq/tokri/protocol/ussd/gateway"
	"github.com/tokrihq/tokri/sync/relay"
)

// ussdParts are the long-lived parts of the USSD channel the config asks
// for: the relay connection to central (with [sync]) and the direct
// callback listener ([ussd] listen). The relay's bytes count against
// syncer's daily cap.
func (s *System) ussdParts(sh *shop.Shop, syncer *uplink.Client) error {
	eng := agentussd.New(agentussd.Options{DB: s.DB, Shop: sh, Log: s.log, Now: s.Clock.Now})
	if s.cfg.Sync.Server != "" && *s.cfg.USSD.Relay {
		secret, err := s.cfg.Sync.ReadSecret()
		if err != nil {
			return err
		}
		rc, err := relay.NewClient(relay.ClientOptions{
			Server: s.cfg.Sync.Server, StoreID: s.cfg.Sync.StoreID, Secret: secret, TLS: syncer.TLSConfig(),
			Number: s.cfg.Agent.OwnNumber, Lang: protocol.Lang(s.cfg.Shop.Language), Step: eng.Step, Log: s.log, Now: s.Clock.Now,
			Backoff: backoff.Policy{Base: 2 * time.Second, Max: 2 * time.Minute, Jitter: 0.25}, Beats: &s.Beats,
			Conn: syncer.CountConn,
		})
		if err != nil {
			return err
		}
		s.Add(rc.Run)
	}
	if addr := s.cfg.USSD.Listen; addr != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("ussd listen: %w", err)
		}
		s.closers, s.USSDAddr = append(s.closers, ln), ln.Addr().String()
		h := ussdHandler(eng, s.cfg.USSD.Token, s.cfg.Agent.OwnNumber, protocol.Lang(s.cfg.Shop.Language), s.log)
		hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
		s.Add(func(ctx context.Context) error {
			if err := httpserve.Serve(ctx, hs, ln, 5*time.Second); err != nil {
				return fmt.Errorf("ussd serve: %w", err)
			}
			return nil
		})
	}
	return nil
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

// balanceChecker runs modem.balance_code through the agent's modem, or is
// nil when none is set.
func (s *System) balanceChecker(a *agent.Agent) *balance.Checker {
	cfg := s.cfg.Modem
	if cfg.BalanceCode == "" {
		return nil
	}
	return balance.New(balance.Options{
		DB:   s.DB,
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
		Operators: s.cfg.Shop.Operators,
		Log:       s.log,
		Now:       s.Clock.Now,
	})
}
