package admin

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/agent/uplink"
	"github.com/tokrihq/tokri/internal/httpserve"
	"github.com/tokrihq/tokri/phone"
)

// SocketName is the socket's file name in the data directory.
const SocketName = "tokri.sock"

// DBName is the store's file name in the data directory.
const DBName = store.FileName

// socketMode lets the agent's group (the console user) in and nobody else.
const socketMode = 0o660

// Options configure a Server. DB is required.
type Options struct {
	DB *store.DB
	// Cache is the shop's catalog cache. It rebuilds itself when the
	// catalog version moves, so the server only keeps it for later use.
	Cache *catalog.Cache
	// Status returns what only the agent knows (modem, daily cap, start
	// time); the server adds the store's counts. Nil leaves those empty.
	Status func() Status
	// Sync is the agent's sync client, for the status and "sync now";
	// nil when the store runs alone.
	Sync Syncer
	Log  zerolog.Logger
	Now  func() time.Time
	// Location is the shop's zone, where its day starts; default UTC.
	Location *time.Location
	// SummaryAt ("21:00") and SummaryTo (the operator's phone) say when
	// and where the day's summary goes by SMS; empty for never.
	SummaryAt, SummaryTo string
	// Country reads shopper numbers typed without a calling code.
	// Default India.
	Country phone.Country
}

// Server is the admin API of a running agent.
type Server struct {
	svc     *service
	cache   *catalog.Cache
	log     zerolog.Logger
	handler http.Handler
}

// NewServer returns a Server; call Serve to listen.
func NewServer(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if c, ok := opts.Sync.(*uplink.Client); ok && c == nil {
		opts.Sync = nil // a nil *uplink.Client is no client at all
	}
	log := opts.Log.With().Str("component", "admin").Logger()
	s := &Server{
		svc: &service{db: opts.DB, now: opts.Now, log: log, running: true, agent: opts.Status, sync: opts.Sync,
			loc: opts.Location, country: opts.Country, summaryAt: opts.SummaryAt, summaryTo: opts.SummaryTo},
		cache: opts.Cache,
		log:   log,
	}
	s.handler = s.routes()
	return s
}

// Handler is the API without the socket, for tests and other listeners.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve listens on socketPath until ctx ends, then stops taking requests,
// lets those in flight finish (for up to five seconds) and removes the
// socket. It refuses to start if another agent answers on socketPath, and
// removes a socket file that nothing answers on (left by a killed agent).
func (s *Server) Serve(ctx context.Context, socketPath string) error {
	l, err := listen(socketPath)
	if err != nil {
		return err
	}
	defer removeOwn(socketPath, l.info)
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	s.log.Info().Str("socket", socketPath).Msg("admin api listening")
	err = httpserve.Serve(ctx, srv, l, 5*time.Second)
	if ctx.Err() != nil {
		return nil // stopping: requests cut after the grace are no failure
	}
	return fmt.Errorf("serve admin api: %w", err)
}

// ownListener remembers which file the listener made, so that shutting
// down never removes a socket some later agent put at the same path.
type ownListener struct {
	net.Listener
	info os.FileInfo
}

func listen(path string) (*ownListener, error) {
	if err := clearStale(path); err != nil {
		return nil, err
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	if err := os.Chmod(path, socketMode); err != nil {
		l.Close()
		os.Remove(path)
		return nil, fmt.Errorf("set mode of %s: %w", path, err)
	}
	info, err := os.Lstat(path)
	if err != nil {
		l.Close()
		os.Remove(path)
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	return &ownListener{Listener: l, info: info}, nil
}

// clearStale makes room for the socket: nothing there is fine, a socket
// nobody answers on is removed, a live one or any other file is refused.
func clearStale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check socket %s: %w", path, err)
	}
	if fi.Mode()&os.ModeSocket == 0 {
		return fmt.Errorf("socket path %s is a %s, not a socket: refusing to replace it", path, fi.Mode().Type())
	}
	switch err := probe(path); {
	case err == nil:
		return fmt.Errorf("%w: %s", ErrAgentRunning, path)
	case errors.Is(err, ErrNoAgent):
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove stale socket %s: %w", path, err)
		}
		return nil
	default:
		return fmt.Errorf("check socket %s: %w", path, err)
	}
}

// probe connects to the socket and hangs up. It returns nil if something
// accepts, an error wrapping ErrNoAgent if nothing listens, and any other
// error as it is.
func probe(path string) error {
	c, err := net.DialTimeout("unix", path, 2*time.Second)
	if err != nil {
		if noListener(err) {
			return fmt.Errorf("%w (no answer on %s)", ErrNoAgent, path)
		}
		return err
	}
	c.Close()
	return nil
}

// noListener tells "nobody is there" from other failures to connect.
func noListener(err error) bool {
	return errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED)
}

func removeOwn(path string, made os.FileInfo) {
	fi, err := os.Lstat(path)
	if err == nil && os.SameFile(fi, made) {
		os.Remove(path)
	}
}
