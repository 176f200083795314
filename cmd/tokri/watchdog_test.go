package main

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/heartbeat"
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
	health := agentHealth(nil, db, sock, func() *modem.Modem { return nil }, time.Minute, time.Now)
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

// TestAgentHealthTellsWaitingLoopsFromStuckOnes runs the agent's real
// loops on a real store with time in a bubble: loops waiting for work, and
// a sender waiting for a modem that never comes, are healthy through 100
// idle hours; a handler stuck in its transaction past the handle loop's
// bound makes the health fail, naming that loop, so the watchdog stops
// petting and systemd restarts the agent.
func TestAgentHealthTellsWaitingLoopsFromStuckOnes(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "tokri.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	synctest.Test(t, func(t *testing.T) {
		db := testkit.OpenStore(t, store.Options{})
		var beats heartbeat.Board
		stuck := make(chan struct{})
		calls := 0
		a := agent.New(agent.Options{
			DB: db, Beats: &beats, Log: testkit.Log(t),
			Handler: agent.HandlerFunc(func(tx *store.Tx, in store.Inbound) error {
				if calls++; calls > 1 {
					<-stuck // a transaction that does not end
				}
				return agent.Welcome{}.Handle(tx, in)
			}),
			Idle:      24 * time.Hour, // longer than every bound: waiting must not count
			Retention: agent.Retention{Every: 24 * time.Hour},
		})
		health := agentHealth(&beats, db, sock, func() *modem.Modem { return nil }, time.Minute, time.Now)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx) }()

		// The reply to this call waits in the sender for a modem.
		if err := a.MissedCall(ctx, "+919800000001", time.Now()); err != nil {
			t.Fatal(err)
		}
		testtime.Advance(100 * time.Hour)
		if err := health(); err != nil {
			t.Fatalf("unhealthy after 100 idle hours with no modem: %v", err)
		}

		if err := a.MissedCall(ctx, "+919800000002", time.Now()); err != nil {
			t.Fatal(err)
		}
		testtime.Advance(time.Minute)
		if err := health(); err != nil {
			t.Fatalf("unhealthy one minute into a handler's work, within the bound: %v", err)
		}
		testtime.Advance(2 * time.Minute)
		err := health()
		if err == nil || !strings.Contains(err.Error(), "handle inbound") {
			t.Fatalf("health with the handler stuck for 3 minutes = %v, want the handle inbound loop named", err)
		}
		for _, healthy := range []string{"send outbox", "retention"} {
			if strings.Contains(err.Error(), healthy) {
				t.Errorf("health names %s, which only waits: %v", healthy, err)
			}
		}
		close(stuck)
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}
