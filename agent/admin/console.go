package admin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shop"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/protocol"
)

// What the console needs beyond the CLI's commands: a cheap way to hear
// that the store changed, the SMS an action would send before it is sent,
// and the shop's pause switch. Each is one service method, so the console
// and any later CLI verb share its rule.

// Change is the answer to GET /v1/watch: the store's last committed write
// transaction. It moves on every commit (an order placed, a message sent),
// so a watcher refetches what it shows only when it moved.
type Change struct {
	Tx int `json:"tx"`
}

// maxWatch bounds how long one watch request waits.
const maxWatch = 30 * time.Second

// watchPoll is how often a waiting watch looks at the store: a new order
// reaches the console well within a second.
const watchPoll = 100 * time.Millisecond

// watch returns as soon as the store's transaction ID passes since, or
// after wait with the ID as it is.
func (s *service) watch(ctx context.Context, since int, wait time.Duration) (Change, error) {
	wait = min(max(wait, 0), maxWatch)
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	tick := time.NewTicker(watchPoll)
	defer tick.Stop()
	for {
		var c Change
		err := s.db.View(func(tx *store.Tx) error {
			c.Tx = tx.Bolt().ID()
			return nil
		})
		if err != nil {
			return Change{}, internal("watch", err)
		}
		if c.Tx != since {
			return c, nil
		}
		select {
		case <-ctx.Done():
			return c, nil
		case <-deadline.C:
			return c, nil
		case <-tick.C:
		}
	}
}

// Preview is the SMS an action on an order would send its shopper: the
// answer to GET /v1/orders/{id}/{action}/preview.
type Preview struct {
	Action   Action        `json:"action"`
	State    orders.State  `json:"state"` // the state the order would reach
	Lang     protocol.Lang `json:"lang"`
	Text     string        `json:"text,omitempty"`
	Segments int           `json:"segments"` // 0 when nothing is sent
	Encoding string        `json:"encoding,omitempty"`
	// OptedOut says the shopper sent STOP: the order moves, no SMS goes.
	OptedOut bool `json:"opted_out,omitempty"`
}

// actTarget checks an operator's action on an order the way act does and
// returns the state it leads to.
func actTarget(id string, a Action) (orders.State, error) {
	to, ok := actionStates[a]
	if !ok {
		return "", invalid("action", fmt.Sprintf("unknown action %q (want accept, reject, pack, dispatch, deliver or cancel)", a))
	}
	if id == "" {
		return "", invalid("id", "an order ID is required")
	}
	return to, nil
}

// preview renders the notification act would queue, through the one
// function that renders it for real (orders.Notification), without
// changing anything.
func (s *service) preview(id string, a Action, reason string) (Preview, error) {
	to, err := actTarget(id, a)
	if err != nil {
		return Preview{}, err
	}
	var p Preview
	err = s.db.View(func(tx *store.Tx) error {
		o, err := orders.Get(tx.Bolt(), id)
		if err != nil {
			return err
		}
		if !orders.Allowed(o.State, to, orders.ByOperator) {
			return fmt.Errorf("order %s from %s to %s by %s: %w", o.ID, o.State, to, orders.ByOperator, orders.ErrBadTransition)
		}
		prof, _, err := shoppers.Get(tx.Bolt(), o.Shopper)
		if err != nil {
			return err
		}
		p = Preview{Action: a, State: to, Lang: prof.LangOr(protocol.English), OptedOut: prof.OptedOut}
		o.State, o.Reason = to, reason
		if r, ok := orders.Notification(p.Lang, orders.ShopName(tx.Bolt()), o, orders.StoredNotices(tx.Bolt()), s.now()); ok && !prof.OptedOut {
			p.Text, p.Segments, p.Encoding = r.Text, r.Segments, r.Encoding
		}
		return nil
	})
	if errors.Is(err, orders.ErrBadTransition) {
		return Preview{}, s.moveErr(id, to, err)
	}
	if err != nil {
		return Preview{}, s.orderErr(id, err)
	}
	return p, nil
}

// ShopState is the shop's switch for taking orders: the answer to
// PUT /v1/shop/paused and part of Status.
type ShopState struct {
	Paused bool `json:"paused"`
	// Open says the opening hours include now; from the agent, false
	// while it is down.
	Open bool `json:"open"`
	// Hours are the opening hours as the config gives them, "08:00-21:00".
	Hours string `json:"hours,omitempty"`
}

// PauseRequest is the body of PUT /v1/shop/paused.
type PauseRequest struct {
	Paused *bool `json:"paused"`
}

// setPaused pauses or resumes taking orders, through the same switch the
// operator's PAUSE and RESUME by SMS turn.
func (s *service) setPaused(p bool) (ShopState, error) {
	err := s.db.Update(func(tx *store.Tx) error { return shop.SetPaused(tx.Bolt(), p) })
	if err != nil {
		return ShopState{}, internal("pause shop", err)
	}
	s.log.Info().Bool("paused", p).Msg("shop pause changed by operator")
	st, err := s.status()
	if err != nil {
		return ShopState{}, err
	}
	return st.Shop, nil
}
