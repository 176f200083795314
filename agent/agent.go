package agent

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/heartbeat"
	"github.com/tokrihq/tokri/internal/together"
)

// Sender puts one SMS-SUBMIT TPDU on the air and returns the message
// reference the network gave it.
type Sender interface {
	SendPDU(ctx context.Context, tpdu []byte) (mr int, err error)
}

// Handler decides what one inbound message does. It runs inside the
// transaction that marks the message handled, so everything it writes
// through tx commits together with that mark or not at all.
type Handler interface {
	Handle(tx *store.Tx, in store.Inbound) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(tx *store.Tx, in store.Inbound) error

// Handle implements Handler.
func (f HandlerFunc) Handle(tx *store.Tx, in store.Inbound) error { return f(tx, in) }

// Options configure an Agent. DB is required. Modem is the sender for
// tests and tools; Serve supplies the real modem and ignores it.
type Options struct {
	DB      *store.DB
	Modem   Sender
	Handler Handler // defaults to the fixed welcome

	Log      zerolog.Logger
	Now      func() time.Time
	DailyCap int // SMS segments per SIM day; 0 means no cap
	// Retryable tells a passing failure (no network, modem busy) from a
	// final one (barred or invalid number). Nil treats every error as
	// retryable, which loses nothing.
	Retryable func(error) bool
	// RetryBase and RetryMax bound the back-off between send attempts.
	RetryBase, RetryMax time.Duration
	// MaxAttempts after which a message fails for good.
	MaxAttempts int
	// Idle is how often the loops look again without being woken, to pick
	// up retries that have come due.
	Idle time.Duration
	// Retention keeps the store small and answers long messages whose
	// last parts never came.
	Retention Retention
	// Admit, when set, is asked before each inbound message is committed;
	// an error leaves it on the modem, to be taken when a later poll of
	// the storage finds Admit content (a full disk).
	Admit func() error
	// Beats, when set, gets a heartbeat from each of the agent's loops,
	// for the watchdog to tell a waiting loop from a stuck one.
	Beats *heartbeat.Board
}

// Agent joins the modem's inbox to the store and the store's outbox to the
// modem.
type Agent struct {
	opts   Options
	db     *store.DB
	log    zerolog.Logger
	wake   chan struct{} // an inbound message was committed
	modems *modemSlot
	beats  loopBeats

	mu        sync.Mutex // guards following
	cappedDay string     // the SIM day on which the cap was last reported
	prunedAt  time.Time  // when Retain last pruned
}

// New returns an Agent; call Run to start it.
func New(opts Options) *Agent {
	if opts.Handler == nil {
		opts.Handler = Welcome{}
	}
	opts.Handler = noteMissing{opts.Handler}
	opts.Retention = opts.Retention.withDefaults()
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Retryable == nil {
		opts.Retryable = func(error) bool { return true }
	}
	if opts.RetryBase == 0 {
		opts.RetryBase = 5 * time.Second
	}
	if opts.RetryMax == 0 {
		opts.RetryMax = 10 * time.Minute
	}
	if opts.MaxAttempts == 0 {
		opts.MaxAttempts = 12
	}
	if opts.Idle == 0 {
		opts.Idle = time.Second
	}
	beats := newLoopBeats(opts.Beats)
	slot := newModemSlot()
	slot.beat = beats.send
	if opts.Modem == nil {
		opts.Modem = slot
	}
	return &Agent{
		modems: slot,
		beats:  beats,
		opts:   opts,
		db:     opts.DB,
		log:    opts.Log.With().Str("component", "agent").Logger(),
		wake:   make(chan struct{}, 1),
	}
}

// Run handles inbound messages and drains the outbox until ctx ends.
// Its loops run together; the first to stop stops the others.
func (a *Agent) Run(ctx context.Context) error {
	return together.Run(ctx, a.handleLoop, a.sendLoop, a.retainLoop)
}

func (a *Agent) signal() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// handleLoop acts on every committed, unhandled inbound message.
func (a *Agent) handleLoop(ctx context.Context) error {
	t := time.NewTicker(a.opts.Idle)
	defer t.Stop()
	for {
		a.beats.handle.Beat()
		if err := a.HandlePending(); err != nil {
			return err
		}
		a.beats.handle.Wait()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-a.wake:
		case <-t.C:
		}
	}
}

// HandlePending acts on each pending inbound message, oldest first.
func (a *Agent) HandlePending() error {
	pending, err := a.db.Pending()
	if err != nil {
		return fmt.Errorf("list pending inbound: %w", err)
	}
	for _, in := range pending {
		a.beats.handle.Beat()
		err := a.db.Handle(in.ID, a.opts.Handler.Handle)
		switch {
		case errors.Is(err, store.ErrHandled):
		case err != nil:
			// One message the handler cannot take must not stop the shop;
			// it stays pending and is tried again on the next round.
			a.log.Error().Err(err).Uint64("inbound", in.ID).Msg("handle inbound")
		}
	}
	return nil
}

// loopBeats are the heartbeats of the agent's loops; nil without a board.
type loopBeats struct{ handle, send, retain *heartbeat.Loop }

// Each bound is the longest one piece of a loop's work may take: one
// message's transaction; one send attempt (readyWait for the modem, then
// the modem's own send timeout, a minute by default); one retention pass,
// which walks whole buckets in chunks.
func newLoopBeats(b *heartbeat.Board) loopBeats {
	return loopBeats{
		handle: b.Loop("handle inbound", 2*time.Minute),
		send:   b.Loop("send outbox", readyWait+3*time.Minute),
		retain: b.Loop("retention", 15*time.Minute),
	}
}
