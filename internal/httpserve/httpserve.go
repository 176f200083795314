// Package httpserve runs an http.Server for as long as its owner's
// context, the one way the agent's admin API, its USSD listener and the
// central server stop: stop taking requests, let those in flight finish
// within a grace period, then cut the rest.
package httpserve

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Serve serves hs on ln until ctx ends or serving fails. When ctx ends it
// shuts hs down, closes what is still open after grace, and waits for
// Serve to return. The error is serving's own (ctx still live) or the
// shutdown's; nil after a clean shutdown.
func Serve(ctx context.Context, hs *http.Server, ln net.Listener, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	err := hs.Shutdown(sctx)
	if err != nil {
		hs.Close()
	}
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
