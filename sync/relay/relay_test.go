package relay

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/backoff"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/ussd"
	"github.com/tokrihq/tokri/sync/wire"
)

const (
	store  = "sharma"
	secret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

func newHub(t *testing.T) (*Hub, *httptest.Server) {
	t.Helper()
	h := NewHub(HubOptions{
		Secret: func(_ context.Context, s string) (string, error) {
			if s != store {
				return "", errors.New("no such store")
			}
			return secret, nil
		},
		Log:         zerolog.New(zerolog.NewTestWriter(t)),
		StepTimeout: 5 * time.Second,
	})
	mux := http.NewServeMux()
	mux.Handle(Path, h)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() { h.Close(); srv.Close() })
	return h, srv
}

func startClient(t *testing.T, url, sec string, step func(context.Context, ussd.Request) (ussd.Reply, error)) (*Client, context.CancelFunc) {
	t.Helper()
	return runClient(t, ClientOptions{Server: url, Secret: sec, Number: "+919800000000", Lang: protocol.Hindi, Step: step})
}

// runClient runs a client of the test store with opts, retrying every
// 20 ms, until the test ends or the returned cancel is called.
func runClient(t *testing.T, opts ClientOptions) (*Client, context.CancelFunc) {
	t.Helper()
	opts.StoreID = store
	opts.Backoff = backoff.Policy{Base: 20 * time.Millisecond, Max: 20 * time.Millisecond}
	opts.Log = zerolog.New(zerolog.NewTestWriter(t))
	c, err := NewClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return c, cancel
}

func TestStepsAreRelayed(t *testing.T) {
	testtime.NoLeaks(t)
	h, srv := newHub(t)
	if _, err := h.Step(context.Background(), store, ussd.Request{Session: "s"}); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("step with no agent: %v, want ErrNotConnected", err)
	}
	c, _ := startClient(t, srv.URL, secret, func(_ context.Context, req ussd.Request) (ussd.Reply, error) {
		return ussd.Con("you typed " + req.Input), nil
	})
	testtime.Until(t, "connection", func() bool { return h.Connected(store) && c.Connected() })
	if got := h.Contact(store); got != (Contact{Number: "+919800000000", Lang: protocol.Hindi}) {
		t.Errorf("hub knows %+v, want the agent's number and language", got)
	}
	// Many at once on one connection, each answered to its own caller.
	errc := make(chan error, 20)
	for i := 0; i < 20; i++ {
		in := strings.Repeat("x", i)
		go func() {
			rep, err := h.Step(context.Background(), store, ussd.Request{Session: "s", Phone: "+91", Kind: ussd.Continue, Input: in})
			if err == nil && rep.Text != "you typed "+in {
				err = errors.New("wrong screen " + rep.Text)
			}
			errc <- err
		}()
	}
	for i := 0; i < 20; i++ {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}

// An agent with the wrong secret is refused at the handshake and its
// steps never run; the store stays unconnected.
func TestWrongSecretRefused(t *testing.T) {
	testtime.NoLeaks(t)
	h, _ := newHub(t)
	// The client retries only after a refusal, so a third attempt means
	// two were refused.
	var attempts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	var ran atomic.Bool
	startClient(t, srv.URL, strings.Repeat("f", 64), func(context.Context, ussd.Request) (ussd.Reply, error) {
		ran.Store(true)
		return ussd.Con(""), nil
	})
	testtime.Until(t, "three handshake attempts", func() bool { return attempts.Load() >= 3 })
	if h.Connected(store) {
		t.Fatal("an agent with a wrong secret is connected")
	}
	if _, err := h.Step(context.Background(), store, ussd.Request{}); !errors.Is(err, ErrNotConnected) || ran.Load() {
		t.Fatalf("step: %v, ran %v", err, ran.Load())
	}
}

// A request signed right but whose frames are not (a replayed handshake,
// a forger without the secret) does not become the store's connection.
func TestUnsignedFramesRefused(t *testing.T) {
	testtime.NoLeaks(t)
	h, srv := newHub(t)
	resp := upgrade(t, srv.URL, nil)
	rwc := resp.Body.(interface {
		Write([]byte) (int, error)
		Read([]byte) (int, error)
		Close() error
	})
	defer rwc.Close()
	bad := codec{key: []byte("not the key"), out: fromAgent, w: rwc}
	if err := bad.write(frame{Type: typeHello}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1)
	if _, err := rwc.Read(buf); err == nil {
		t.Fatal("central kept a connection whose hello does not verify")
	}
	if h.Connected(store) {
		t.Fatal("forged hello connected the store")
	}
}

// upgrade makes the relay's signed upgrade request to url with the
// headers set, and returns the 101 answer.
func upgrade(t *testing.T, url string, set map[string]string) *http.Response {
	t.Helper()
	r, _ := http.NewRequest(http.MethodGet, url+Path, nil)
	r.Header.Set("Connection", "Upgrade")
	r.Header.Set("Upgrade", Protocol)
	for k, v := range set {
		r.Header.Set(k, v)
	}
	wire.SignRequest(r, nil, store, secret, time.Now())
	resp, err := http.DefaultClient.Do(r)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("handshake: %v %v", resp.Status, err)
	}
	return resp
}

// Central says its ping interval to an agent that asks, and to one that
// does not, nothing: that one keeps its 25 s pings and pongs.
func TestCentralSaysItsPingIntervalWhenAsked(t *testing.T) {
	testtime.NoLeaks(t)
	_, srv := newHub(t)
	for ask, want := range map[bool]string{true: "270", false: ""} {
		set := map[string]string{}
		if ask {
			set[HeaderPing] = "1"
		}
		resp := upgrade(t, srv.URL, set)
		resp.Body.Close()
		if got := resp.Header.Get(HeaderPing); got != want {
			t.Errorf("asked %v: %s %q, want %q", ask, HeaderPing, got, want)
		}
	}
}

// When central drops the connection, the agent comes back by itself.
func TestReconnects(t *testing.T) {
	testtime.NoLeaks(t)
	h, srv := newHub(t)
	startClient(t, srv.URL, secret, func(context.Context, ussd.Request) (ussd.Reply, error) { return ussd.Con("ok"), nil })
	testtime.Until(t, "connection", func() bool { return h.Connected(store) })
	h.mu.Lock()
	h.conns[store].conn.Close()
	h.mu.Unlock()
	testtime.Until(t, "drop", func() bool { return !h.Connected(store) })
	testtime.Until(t, "reconnection", func() bool { return h.Connected(store) })
	if rep, err := h.Step(context.Background(), store, ussd.Request{}); err != nil || rep.Text != "ok" {
		t.Fatalf("step after reconnecting: %+v %v", rep, err)
	}
}

func TestCallbackToken(t *testing.T) {
	testtime.NoLeaks(t)
	tok := CallbackToken(secret, store)
	if len(tok) != 32 || !CheckToken(secret, store, tok) {
		t.Fatalf("token %q does not check", tok)
	}
	if CheckToken(secret, "other", tok) || CheckToken(strings.Repeat("f", 64), store, tok) || CheckToken(secret, store, tok[:31]+"0") && tok[31] != '0' {
		t.Fatal("a token checks for another store or secret")
	}
}

// An agent that does not answer in time fails the step; the shopper gets
// the callbacks' fallback line, not a hung session.
func TestStepTimesOut(t *testing.T) {
	testtime.NoLeaks(t)
	h, srv := newHub(t)
	h.opts.StepTimeout = 100 * time.Millisecond
	release := make(chan struct{})
	defer close(release)
	startClient(t, srv.URL, secret, func(ctx context.Context, _ ussd.Request) (ussd.Reply, error) {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return ussd.Con("late"), nil
	})
	testtime.Until(t, "connection", func() bool { return h.Connected(store) })
	if _, err := h.Step(context.Background(), store, ussd.Request{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("step with a silent agent: %v, want a deadline error", err)
	}
}

// Over TLS with the server's certificate pinned, as an agent with
// sync.pin_sha256 connects.
func TestRelayOverPinnedTLS(t *testing.T) {
	testtime.NoLeaks(t)
	h := NewHub(HubOptions{Secret: func(context.Context, string) (string, error) { return secret, nil }, Log: zerolog.New(zerolog.NewTestWriter(t))})
	mux := http.NewServeMux()
	mux.Handle(Path, h)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(func() { h.Close(); srv.Close() })
	pinned, err := wire.PinnedTLSConfig(wire.Fingerprint(srv.Certificate().Raw))
	if err != nil {
		t.Fatal(err)
	}
	runClient(t, ClientOptions{Server: srv.URL, Secret: secret, TLS: pinned,
		Step: func(context.Context, ussd.Request) (ussd.Reply, error) { return ussd.Con("over tls"), nil }})
	testtime.Until(t, "connection", func() bool { return h.Connected(store) })
	if rep, err := h.Step(context.Background(), store, ussd.Request{}); err != nil || rep.Text != "over tls" {
		t.Fatalf("step over TLS: %+v %v", rep, err)
	}
}
