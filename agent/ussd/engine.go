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

// Step answers one step of a session with the next screen.
func (e *Engine) Step(ctx context.Context, req ussd.Request) (ussd.Reply, error) {
	phone := Phone(req.Phone)
	if req.Session == "" || phone == "" {
		return ussd.Reply{}, ErrBadRequest
	}
	if req.Kind == ussd.End {
		// Nothing to show; a checkout cut off stays on record to resume.
		e.log.Debug().Str("from", store.Mask(phone)).Msg("session ended by the network")
		return ussd.Close(""), nil
	}
	var rep ussd.Reply
	err := e.db.Update(func(tx *store.Tx) error {
		v, err := e.shop.Visit(tx, phone)
		if err != nil {
			return err
		}
		st, err := loadState(tx.Bolt(), phone)
		if err != nil {
			e.log.Warn().Err(err).Str("from", store.Mask(phone)).Msg("starting ussd session afresh")
			st = state{}
		}
		s := &step{e: e, v: v, st: &st, w: ussd.For(v.Lang()), now: e.now().UTC()}
		rep = s.run(req)
		if s.err != nil {
			return s.err
		}
		st.Last, st.At = rep, s.now
		st.Over = rep.End
		if err := saveState(tx.Bolt(), phone, st); err != nil {
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

// Phone is a shopper's number as the shop keys it: "+" and digits.
func Phone(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.Len() < 6 {
		return ""
	}
	return "+" + b.String()
}
