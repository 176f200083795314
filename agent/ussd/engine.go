package ussd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/shop"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/phone"
	"github.com/tokrihq/tokri/protocol/ussd"
)

// Options configure an Engine.
type Options struct {
	DB   *store.DB
	Shop *shop.Shop
	Log  zerolog.Logger
	Now  func() time.Time
	// ResumeWithin is how long a checkout cut off stays offered back.
	// Default 30 minutes.
	ResumeWithin time.Duration
}

// Engine answers USSD steps. It is safe for concurrent use.
type Engine struct {
	db     *store.DB
	shop   *shop.Shop
	log    zerolog.Logger
	now    func() time.Time
	resume time.Duration
}

// New returns an Engine.
func New(opts Options) *Engine {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ResumeWithin == 0 {
		opts.ResumeWithin = 30 * time.Minute
	}
	return &Engine{db: opts.DB, shop: opts.Shop, log: opts.Log.With().Str("component", "ussd").Logger(), now: opts.Now, resume: opts.ResumeWithin}
}

// ErrBadRequest means a step lacks what every step has (session, phone).
var ErrBadRequest = errors.New("ussd: step without session or phone")

// Step answers one step of a session with the next screen. The shopper's
// number is read as the shop reads an SMS sender's, so an aggregator's
// "09800000001" reaches the cart of +919800000001.
func (e *Engine) Step(ctx context.Context, req ussd.Request) (ussd.Reply, error) {
	if req.Session == "" || strings.TrimSpace(req.Phone) == "" {
		return ussd.Reply{}, ErrBadRequest
	}
	if req.Kind == ussd.End {
		// Nothing to show; a checkout cut off stays on record to resume.
		e.log.Debug().Str("from", phone.Mask(req.Phone)).Msg("session ended by the network")
		return ussd.Close(""), nil
	}
	var rep ussd.Reply
	err := e.db.Update(func(tx *store.Tx) error {
		v, err := e.shop.Visit(tx, req.Phone)
		if err != nil {
			return err
		}
		number := v.Number()
		st, err := loadState(tx.Bolt(), number)
		if err != nil {
			e.log.Warn().Err(err).Str("from", phone.Mask(number)).Msg("starting ussd session afresh")
			st = state{}
		}
		s := &step{e: e, v: v, st: &st, w: ussd.For(v.Lang()), now: e.now().UTC()}
		rep = s.run(req)
		if s.err != nil {
			return s.err
		}
		st.Last, st.At = rep, s.now
		st.Over = rep.End
		if err := saveState(tx.Bolt(), number, st); err != nil {
			return err
		}
		return v.Close()
	})
	if errors.Is(err, shop.ErrNotAnswerable) {
		return ussd.Reply{}, fmt.Errorf("%w: %w", ErrBadRequest, err)
	}
	if err != nil {
		return ussd.Reply{}, fmt.Errorf("ussd step: %w", err)
	}
	return rep, nil
}
