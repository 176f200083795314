package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"sync"
	"time"

	"github.com/tokrihq/tokri/internal/logging"
	"github.com/tokrihq/tokri/sync/relay"
	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/wire"
)

// ServeMain is `tokri-central serve`.
type ServeMain struct {
	Stderr io.Writer
	storageCommand
	addr              string
	certFile, keyFile string
	debug             bool
	limits            server.Limits
	relayPing         time.Duration

	mu       sync.Mutex // guards following
	ln       net.Listener
	ready    chan struct{}
	tlsConf  *tls.Config
	leafHash string
}

func (m *ServeMain) Flags(fs *flag.FlagSet) {
	m.flags.register(fs)
	fs.StringVar(&m.addr, "addr", "127.0.0.1:8080", "`ADDR` to listen on")
	fs.StringVar(&m.certFile, "tls-cert", "", "TLS certificate `FILE` (PEM); serve HTTPS")
	fs.StringVar(&m.keyFile, "tls-key", "", "TLS key `FILE` (PEM)")
	fs.BoolVar(&m.debug, "debug", false, "log every request")
	fs.IntVar(&m.limits.MaxConns, "max-conns", server.DefaultMaxConns, "open connections in all (kept below the descriptor limit)")
	fs.IntVar(&m.limits.MaxConnsPerIP, "max-conns-per-ip", server.DefaultMaxConnsPerIP, "open connections from one address")
	fs.DurationVar(&m.limits.ReadTimeout, "read-timeout", server.DefaultReadTimeout, "longest a request may take to arrive, body included")
	fs.DurationVar(&m.relayPing, "relay-ping", relay.DefaultPingEvery, "between pings of an idle USSD relay connection, within the stores' carriers' NAT timeout")
}

// Args implements command.Arguments: the TLS files go together.
func (m *ServeMain) Args(args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	if (m.certFile == "") != (m.keyFile == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if m.relayPing < time.Second {
		return errors.New("--relay-ping must be at least 1s")
	}
	m.ready = make(chan struct{})
	return nil
}

// Addr waits until the server listens and returns its address (for tests
// started with --addr 127.0.0.1:0), or "" if ctx ends first.
func (m *ServeMain) Addr(ctx context.Context) string {
	select {
	case <-m.ready:
	case <-ctx.Done():
		return ""
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ln.Addr().String()
}

func (m *ServeMain) Run(ctx context.Context) (err error) {
	lvl := "info"
	if m.debug {
		lvl = "debug"
	}
	log := logging.New(m.Stderr, lvl)
	if m.certFile != "" {
		cert, err := tls.LoadX509KeyPair(m.certFile, m.keyFile)
		if err != nil {
			return fmt.Errorf("load TLS key pair: %w", err)
		}
		m.tlsConf = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		m.leafHash = wire.Fingerprint(cert.Certificate[0])
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.addr)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.ln = ln
	m.mu.Unlock()
	ev := log.Info().Str("addr", ln.Addr().String()).Bool("tls", m.tlsConf != nil)
	if m.leafHash != "" {
		ev = ev.Str("pin_sha256", m.leafHash)
	}
	ev.Msg("serving sync API")
	close(m.ready)
	srv := server.New(server.Options{Storage: m.st, Log: log, Limits: m.limits})
	hub := relay.NewHub(relay.HubOptions{Secret: m.st.Secret, Log: log, PingEvery: m.relayPing})
	defer hub.Close()
	if m.flags.Data != "" {
		// Stores' SMS numbers survive a restart, for the line shoppers
		// read while their store is offline.
		keepContacts(hub, filepath.Join(m.flags.Data, numbersFile), log)
		// The commands that read the store file ask serve instead; without
		// the socket they say the file is in use, and serve goes on.
		if stopLocal, err := serveLocal(m.flags.Data, m.st, log); err != nil {
			log.Warn().Err(err).Msg("no local socket: ussd url needs serve stopped")
		} else {
			defer stopLocal()
		}
	}
	srv.Handle("GET "+relay.Path, hub)
	srv.Handle(relay.CallbackPattern, hub.Callbacks(log))
	return srv.Run(ctx, ln, m.tlsConf)
}
