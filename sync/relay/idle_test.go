package relay

import (
	"bufio"
	"context"
	"net"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/backoff"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/protocol/ussd"
)

// writes counts the frames written on a connection: each is one Write.
type writes struct {
	net.Conn
	n atomic.Int32
}

func (w *writes) Write(p []byte) (int, error) {
	w.n.Add(1)
	return w.Conn.Write(p)
}

// pipeClient is a client of the test store whose connection is one end of
// a pipe, to serve with its codec (the other end is central's).
func pipeClient(t *testing.T, step func(context.Context, ussd.Request) (ussd.Reply, error)) (*Client, *writes, *codec, net.Conn) {
	t.Helper()
	c, err := NewClient(ClientOptions{Server: "http://central", StoreID: store, Secret: secret, Step: step,
		Backoff: backoff.Policy{Base: time.Second}, Log: zerolog.New(zerolog.NewTestWriter(t))})
	if err != nil {
		t.Fatal(err)
	}
	agentEnd, centralEnd := net.Pipe()
	agent := &writes{Conn: agentEnd}
	key := sessionKey(secret, "agent nonce", "central nonce")
	return c, agent, &codec{key: key, out: fromAgent, in: fromCentral, r: bufio.NewReader(agent), w: agent}, centralEnd
}

// An idle connection costs one ping frame each interval central says,
// and nothing back: no pong (the kernel's ACK is enough), and it stays
// up across hours of them. An agent that does not ask for the interval
// (one built before it) is pinged every 25 s and pongs, as it expects.
func TestIdleConnectionPings(t *testing.T) {
	for _, tc := range []struct {
		name         string
		every        time.Duration // what central says, 0 for nothing
		pings, pongs int32
	}{
		{"agent asks for the interval", DefaultPingEvery, 40, 0},
		{"agent does not ask", 0, 432, 432},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { idlePings(t, tc.every, tc.pings, tc.pongs) })
		})
	}
}

// idlePings has the hub ping an agent's idle connection for three hours
// and checks the frames each side wrote.
func idlePings(t *testing.T, every time.Duration, pings, pongs int32) {
	h := NewHub(HubOptions{Secret: func(context.Context, string) (string, error) { return secret, nil }, Log: zerolog.New(zerolog.NewTestWriter(t))})
	c, agent, cd, centralEnd := pipeClient(t, func(context.Context, ussd.Request) (ussd.Reply, error) { return ussd.Con("still here"), nil })
	central := &writes{Conn: centralEnd}
	hc := &hubConn{store: store, conn: central, pending: map[uint64]chan frame{}, every: every, pongs: every == 0,
		c: codec{key: cd.key, out: fromCentral, in: fromAgent, r: bufio.NewReader(central), w: central}}
	if hc.pongs {
		hc.every = pongEvery
	}
	served := make(chan struct{})
	go func() { h.serve(hc); close(served) }()
	ctx, cancel := context.WithCancel(context.Background())
	go c.serve(ctx, agent, cd, every)
	synctest.Wait()
	if !h.Connected(store) || !c.Connected() {
		t.Fatal("not connected")
	}
	testtime.Advance(3 * time.Hour)
	if got := central.n.Load(); got != pings {
		t.Errorf("central wrote %d frames in 3h, want %d pings", got, pings)
	}
	if got := agent.n.Load(); got != 1+pongs {
		t.Errorf("the agent wrote %d frames, want its hello and %d pongs", got, pongs)
	}
	if !h.Connected(store) || !c.Connected() {
		t.Fatal("an idle connection that is pinged ended")
	}
	if rep, err := h.Step(context.Background(), store, ussd.Request{}); err != nil || rep.Text != "still here" {
		t.Errorf("step after hours idle: %+v %v", rep, err)
	}
	cancel()
	<-served
}

// An agent takes a connection central has stopped pinging for dead (a NAT
// forgot it) once the ping interval central said, and half again, has
// passed: not before, so a ping late on a slow link does not cost a new
// connection.
func TestSilentConnectionEndsAfterTheIntervalCentralSaid(t *testing.T) {
	for _, tc := range []struct {
		name  string
		every time.Duration
		quiet time.Duration
	}{
		{"central says 270s", DefaultPingEvery, 405 * time.Second},
		{"central says 10m", 10 * time.Minute, 15 * time.Minute},
		{"central says none (25s pings)", 0, 80 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, agent, cd, centralEnd := pipeClient(t, func(context.Context, ussd.Request) (ussd.Reply, error) { return ussd.Con(""), nil })
				go func() { // central reads the hello, then says nothing
					b := make([]byte, 1024)
					for {
						if _, err := centralEnd.Read(b); err != nil {
							return
						}
					}
				}()
				done := make(chan error, 1)
				go func() { _, err := c.serve(context.Background(), agent, cd, tc.every); done <- err }()
				testtime.Advance(tc.quiet - time.Second)
				if !c.Connected() {
					t.Fatalf("gave up on central %v before %v", tc.quiet-time.Second, tc.quiet)
				}
				testtime.Advance(time.Second)
				if c.Connected() {
					t.Fatalf("still connected after %v of silence", tc.quiet)
				}
				if err := <-done; err == nil {
					t.Error("serve ended without an error")
				}
				centralEnd.Close()
			})
		})
	}
}
