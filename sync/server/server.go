package server

import (
	"context"
	"crypto/tls"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/httpserve"
	"github.com/tokrihq/tokri/sync/wire"
)

// Options configure a Server.
type Options struct {
	Storage Storage
	Log     zerolog.Logger
	// Now is the clock for signature timestamps and nonces; nil is time.Now.
	Now func() time.Time
	// Limits bound connections, timeouts and bodies before authentication.
	Limits Limits
}

// Server answers the /v1 sync API. It is an http.Handler; Run serves it.
type Server struct {
	st      Storage
	log     zerolog.Logger
	now     func() time.Time
	nonces  *nonces
	used    atomic.Uint64 // fresh nonces recorded, to pace ForgetNonces
	mux     *http.ServeMux
	limits  Limits
	large   chan []byte   // Limits.LargeBodies buffers for bodies beyond Limits.PreAuthBody; nil until first used
	refused atomic.Uint64 // connections closed by the caps
}

// New returns a Server over opts.Storage.
func New(opts Options) *Server {
	s := &Server{
		st:     opts.Storage,
		log:    opts.Log.With().Str("component", "sync-server").Logger(),
		now:    opts.Now,
		nonces: newNonces(2 * wire.MaxSkew),
		mux:    http.NewServeMux(),
		limits: opts.Limits.withDefaults(),
	}
	s.large = make(chan []byte, s.limits.LargeBodies)
	for range s.limits.LargeBodies {
		s.large <- nil
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.mux.Handle("GET "+wire.PathStatus, s.authed(s.handleStatus))
	s.mux.Handle("POST "+wire.PathOutbox, s.authed(s.handlePush))
	s.mux.Handle("GET "+wire.PathCatalog, s.authed(s.handleCatalog))
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, &wire.Error{Status: http.StatusNotFound, Code: wire.CodeNotFound, Message: "no such path: see docs/sync.md"})
	})
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	wire.SetServerTime(w.Header(), s.now())
	s.mux.ServeHTTP(w, r)
}

// maxHeaderBytes bounds a request's headers: an agent's are a few hundred
// bytes.
const maxHeaderBytes = 16 << 10

// Run serves on ln until ctx ends, over TLS when tlsConf is not nil, then
// shuts down, giving requests in flight five seconds to finish.
// Connections over Options.Limits are closed as they are accepted.
func (s *Server) Run(ctx context.Context, ln net.Listener, tlsConf *tls.Config) error {
	l := s.limits
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.WriteTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          log.New(s.log.With().Str("source", "net/http").Logger(), "", 0),
	}
	ln = newConnLimiter(ln, l, func(string) {
		if n := s.refused.Add(1); n&(n-1) == 0 { // 1, 2, 4, 8, ...: a flood logs a few lines
			s.log.Warn().Uint64("refused", n).Int("max_conns", l.MaxConns).Int("max_per_ip", l.MaxConnsPerIP).Msg("connection over the caps closed")
		}
	})
	if tlsConf != nil {
		ln = tls.NewListener(ln, tlsConf)
	}
	err := httpserve.Serve(ctx, hs, ln, 5*time.Second)
	switch {
	case err == nil:
		return nil
	case ctx.Err() == nil:
		return fmt.Errorf("serve: %w", err)
	}
	return fmt.Errorf("shutdown: %w", err)
}
