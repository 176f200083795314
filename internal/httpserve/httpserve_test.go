package httpserve

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// serve starts Serve on a loopback port with h and returns its address
// and Serve's result.
func serve(t *testing.T, ctx context.Context, h http.HandlerFunc, grace int) (string, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, &http.Server{Handler: h}, ln, graceOf(grace)) }()
	return "http://" + ln.Addr().String(), done
}

// A request in flight when ctx ends finishes and gets its answer; Serve
// then returns nil.
func TestServeLetsRequestsInFlightFinish(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	url, done := serve(t, ctx, func(w http.ResponseWriter, r *http.Request) {
		cancel() // the owner stops while this request runs
		<-release
		io.WriteString(w, "done")
	}, 60)
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-ctx.Done()
	close(release)
	if s := <-got; s != "done" {
		t.Errorf("request in flight got %q, want its answer", s)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve after a clean stop: %v", err)
	}
}

// A request that outlives the grace is cut, and Serve says so.
func TestServeCutsRequestsPastTheGrace(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	stuck := make(chan struct{})
	defer close(stuck)
	url, done := serve(t, ctx, func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-stuck
	}, 0)
	go func() {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
		}
	}()
	if err := <-done; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Serve with a request stuck past the grace: %v, want the shutdown's deadline", err)
	}
}

// A listener that fails ends Serve with its error while ctx lives.
func TestServeReturnsServingErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	if err := Serve(context.Background(), &http.Server{}, ln, graceOf(0)); err == nil || errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve on a closed listener: %v, want its error", err)
	}
}

// graceOf is n seconds of grace; 0 is a grace already over.
func graceOf(n int) time.Duration { return time.Duration(n) * time.Second }
