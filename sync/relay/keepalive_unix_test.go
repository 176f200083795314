//go:build unix

package relay

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"syscall"
	"testing"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/protocol/ussd"
)

// Neither end of the relay's connection has the kernel send keep-alives:
// central's pings keep it alive, and each probe with its ACK would cost
// the store's data pack 104 B more every 15 s, both ways.
func TestNoKeepAlivesOnTheRelay(t *testing.T) {
	testtime.NoLeaks(t)
	var (
		mu    sync.Mutex
		conns []net.Conn // central's, then the agent's
	)
	keep := func(c net.Conn) net.Conn {
		mu.Lock()
		defer mu.Unlock()
		conns = append(conns, c)
		return c
	}
	h := NewHub(HubOptions{Secret: func(context.Context, string) (string, error) { return secret, nil }, Log: zerolog.New(zerolog.NewTestWriter(t))})
	mux := http.NewServeMux()
	mux.Handle(Path, h)
	srv := httptest.NewUnstartedServer(mux) // its listener turns keep-alives on
	srv.Config.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateNew {
			keep(c)
		}
	}
	srv.Start()
	t.Cleanup(func() { h.Close(); srv.Close() })
	c, _ := runClient(t, ClientOptions{Server: srv.URL, Secret: secret, Conn: keep,
		Step: func(context.Context, ussd.Request) (ussd.Reply, error) { return ussd.Con(""), nil }})
	testtime.Until(t, "connection", func() bool { return h.Connected(store) && c.Connected() })
	mu.Lock()
	defer mu.Unlock()
	if len(conns) != 2 {
		t.Fatalf("%d connections, want central's and the agent's", len(conns))
	}
	for i, end := range []string{"central's", "the agent's"} {
		raw, err := conns[i].(*net.TCPConn).SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		var on int
		raw.Control(func(fd uintptr) { on, err = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE) })
		if err != nil || on != 0 {
			t.Errorf("%s end: SO_KEEPALIVE %d (%v), want 0", end, on, err)
		}
	}
}
