package main

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/modem"
)

// TestWatchdogPetsOnlyWhileHealthy runs the watchdog against a real
// NOTIFY_SOCKET, as systemd provides one: READY once the parts answer,
// WATCHDOG=1 on a healthy tick, nothing on an unhealthy one, STOPPING=1
// at the end.
func TestWatchdogPetsOnlyWhileHealthy(t *testing.T) {
	testtime.NoLeaks(t)
	sock := filepath.Join(t.TempDir(), "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", sock)

	// Each health check takes its answer from the test, so the test says
	// exactly which check fails, whatever the goroutines' timing.
	answers := make(chan error)
	tick := make(chan time.Time)
	w := newWatchdog(zerolog.New(zerolog.NewTestWriter(t)), func() error { return <-answers })
	w.tick = tick
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()

	sick := errors.New("store read blocked")
	answers <- sick // not ready at first: no READY
	tick <- time.Time{}
	answers <- nil // READY
	tick <- time.Time{}
	answers <- nil // WATCHDOG
	tick <- time.Time{}
	answers <- sick // unhealthy: nothing
	tick <- time.Time{}
	answers <- sick // nothing
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	want := []string{"READY=1", "WATCHDOG=1", "STOPPING=1"}
	buf := make([]byte, 256)
	for _, w := range want {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("waiting for %s: %v", w, err)
		}
		if got := string(buf[:n]); got != w {
			t.Fatalf("systemd heard %q, want %q (an unhealthy agent must not pet the watchdog)", got, w)
		}
	}
}

// TestAgentHealthNeedsTheAdminSocket: the health the watchdog asks for
// fails while the admin socket takes no connections, and passes once it
// does (no modem yet is healthy: the agent is waiting for one).
func TestAgentHealthNeedsTheAdminSocket(t *testing.T) {
	testtime.NoLeaks(t)
	db := testkit.OpenStore(t, store.Options{})
	sock := filepath.Join(t.TempDir(), "tokri.sock")
	health := agentHealth(db, sock, func() *modem.Modem { return nil }, time.Minute, time.Now)
	if err := health(); err == nil {
		t.Fatal("healthy with no admin socket")
	}
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := health(); err != nil {
		t.Fatalf("unhealthy with the store and socket up: %v", err)
	}
}
