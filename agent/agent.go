package agent

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"

	"github.com/tokrihq/tokri/agent/store"
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
}

// Agent joins the modem's inbox to the store and the store's outbox to the
// modem.
type Agent struct {
	opts   Options
	db     *store.DB
	log    zerolog.Logger
	wake   chan struct{} // an inbound message was committed
	modems *modemSlot

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
	slot := newModemSlot()
	if opts.Modem == nil {
		opts.Modem = slot
	}
	return &Agent{
		modems: slot,
		opts:   opts,
		db:     opts.DB,
		log:    opts.Log.With().Str("component", "agent").Logger(),
		wake:   make(chan struct{}, 1),
	}
}

// Run handles inbound messages and drains the outbox until ctx ends.
// Its loops run together; the first to stop stops the others.
func (a *Agent) Run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, loop := range []func(context.Context) error{a.handleLoop, a.sendLoop, a.retainLoop} {
		g.Go(func() error {
			defer cancel()
			return loop(ctx)
		})
	}
	if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
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
		if err := a.HandlePending(); err != nil {
			return err
		}
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
