package e2e

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/tokrihq/tokri/agent"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/hardware/serial"
	"github.com/tokrihq/tokri/internal/testkit"
)

// TestSecondAgentRefused: a second agent, with a store of its own, started
// on the modem port the first one holds, stops at once with an error that
// names the holder; the first agent goes on answering every message, so
// no message is split between two stores.
func TestSecondAgentRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t, "sim800")
	ru := r.start(nil)
	ru.WaitModem()

	db2, err := store.Open(filepath.Join(t.TempDir(), "other.db"), store.Options{Log: r.log})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	second := agent.New(testkit.AgentOptions(db2, agent.Welcome{}, r.log.With().Str("side", "second").Logger()))
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	err = second.Serve(ctx, testkit.Link(r.vm.Modem, r.log.With().Str("side", "second-modem").Logger()))
	var le *serial.LockedError
	if !errors.Is(err, serial.ErrLocked) || !errors.As(err, &le) {
		t.Fatalf("second agent: %v, want the port refused as locked", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("the second agent waited for its deadline instead of stopping")
	}
	if want := strconv.Itoa(os.Getpid()); le.PID != os.Getpid() {
		t.Errorf("error %q names pid %d, want the holder %s", err, le.PID, want)
	}

	from := phone(720)
	r.sms(smsFrom(from, "still there?"))
	r.waitSettled(map[string]int{from: 1})
	if n := r.handledBy()[from]; n != 1 {
		t.Errorf("handled %d times by the first agent, want once", n)
	}
	if p, err := db2.Pending(); err != nil || len(p) != 0 {
		t.Errorf("second store took messages: %d pending, %v", len(p), err)
	}
}
