// Package disk watches the free space under the store. When an SD card
// fills up, commits fail and the agent leaves new messages on the SIM
// (they are deleted from the modem only once committed), so nothing is
// lost; what the operator needs is to be told, and to see it clear once
// space returns.
package disk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/rs/zerolog"
)

// Thresholds: under Low the operator is warned; under Full commits are
// about to fail (bbolt grows its file in steps of up to a few MB). A
// small disk uses a fifth and a twentieth of its size instead.
const (
	Low  = 200 << 20
	Full = 16 << 20
)

// Free is the space an unprivileged process may still write on the disk
// holding path, or its nearest existing parent.
func Free(path string) (uint64, error) {
	free, _, err := space(path)
	return free, err
}

// space is the free and the total bytes of the disk holding path.
func space(path string) (free, total uint64, err error) {
	for {
		var st syscall.Statfs_t
		err := syscall.Statfs(path, &st)
		if err == nil {
			return st.Bavail * uint64(st.Bsize), st.Blocks * uint64(st.Bsize), nil
		}
		parent := filepath.Dir(path)
		if !os.IsNotExist(err) || parent == path {
			return 0, 0, fmt.Errorf("free space of %s: %w", path, err)
		}
		path = parent
	}
}

// Human writes a byte count for people.
func Human(b uint64) string {
	switch {
	case b >= 10<<30:
		return fmt.Sprintf("%d GB", b>>30)
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%d MB", b>>20)
	default:
		return fmt.Sprintf("%d KB", b>>10)
	}
}

// Status is the disk's state for tokri status.
type Status struct {
	Free  uint64 `json:"free_bytes"`
	State string `json:"state"` // "ok", "low" or "full"
}

// Line is the status in one line for people.
func (s Status) Line() string {
	switch s.State {
	case "full":
		return Human(s.Free) + " free: FULL, new messages wait on the SIM until space is freed"
	case "low":
		return Human(s.Free) + " free: low, free some space soon"
	}
	return Human(s.Free) + " free"
}

func stateOf(free, low, full uint64) string {
	switch {
	case free < full:
		return "full"
	case free < low:
		return "low"
	}
	return "ok"
}

// Watch checks the disk under Dir, every Every and whenever asked, and
// logs when its state changes, so the journal says when the disk filled
// and when it cleared.
type Watch struct {
	Dir       string
	Every     time.Duration // default 30 s
	Low, Full uint64        // default Low and Full (less on a small disk)
	Log       zerolog.Logger

	mu   sync.Mutex // guards last
	last Status     // the previous reading, for logging changes
}

// Status reads the disk now (a statfs: cheap enough per message).
func (w *Watch) Status() Status { return w.check() }

// ErrFull is Admit's answer while the disk is full.
var ErrFull = errors.New("disk full")

// Admit refuses new messages while the disk is full, so they wait on the
// SIM instead of failing half-way into the store.
func (w *Watch) Admit() error {
	if st := w.check(); st.State == "full" {
		return fmt.Errorf("%w: %s free", ErrFull, Human(st.Free))
	}
	return nil
}

func (w *Watch) check() Status {
	free, total, err := space(w.Dir)
	low, full := w.Low, w.Full
	if low == 0 {
		low = min(Low, total/5)
	}
	if full == 0 {
		full = min(Full, total/20)
	}
	if err != nil {
		w.Log.Warn().Err(err).Msg("disk space")
		return Status{State: "unknown"}
	}
	st := Status{Free: free, State: stateOf(free, low, full)}
	w.mu.Lock()
	prev := w.last.State
	w.last = st
	w.mu.Unlock()
	if st.State != prev {
		switch st.State {
		case "full":
			w.Log.Error().Str("free", Human(free)).Msg("disk full: new messages stay on the SIM until space is freed")
		case "low":
			w.Log.Warn().Str("free", Human(free)).Msg("disk space low")
		default:
			if prev != "" {
				w.Log.Info().Str("free", Human(free)).Msg("disk space back: messages flow again")
			}
		}
	}
	return st
}

// Run checks until ctx ends.
func (w *Watch) Run(ctx context.Context) error {
	every := w.Every
	if every <= 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		w.check()
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
