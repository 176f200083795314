package vmodem

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// RunSim runs a virtual modem with its control API on controlAddr (loopback
// only; port 0 picks a free one) until ctx ends. ready, if not nil, gets the
// control API's base URL once both are serving; the URL is also logged at info.
func RunSim(ctx context.Context, cfg Config, controlAddr string, ready func(controlURL string)) error {
	if err := checkLoopback(controlAddr); err != nil {
		return err
	}
	m, err := New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", controlAddr)
	if err != nil {
		m.Close()
		return fmt.Errorf("control api listen: %w", err)
	}
	url := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 5 * time.Second}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	runErr := make(chan error, 1)
	srvErr := make(chan error, 1)
	go func() { runErr <- m.Run(ctx) }()
	go func() {
		err := srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		srvErr <- err
	}()
	m.log.Info().Str("control", url).Str("link", cfg.Link).Str("path", m.Path()).Msg("virtual modem control api serving")
	if ready != nil {
		ready(url)
	}
	var first error
	select {
	case first = <-runErr:
		runErr = nil
	case first = <-srvErr:
		srvErr = nil
		if first != nil {
			first = fmt.Errorf("control api: %w", first)
		}
	}
	cancel()
	sctx, scancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer scancel()
	_ = srv.Shutdown(sctx)
	if runErr != nil {
		<-runErr
	}
	if srvErr != nil {
		<-srvErr
	}
	return first
}

// checkLoopback refuses addresses that would expose the control API.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("control address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("control address %q: %w", addr, ErrNotLoopback)
	}
	return nil
}
