package orders

import (
	"errors"
	"fmt"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/sync/outbox"
)

// next lists where each state may go.
var next = map[State][]State{
	Placed:     {Accepted, Rejected, Cancelled},
	Accepted:   {Packed, Rejected, Cancelled},
	Packed:     {Dispatched},
	Dispatched: {Delivered},
}

// Allowed says whether by may move an order from one state to another.
// A shopper may only cancel.
func Allowed(from, to State, by string) bool {
	for _, s := range next[from] {
		if s == to {
			return by != ByShopper || to == Cancelled
		}
	}
	return false
}

// Transition moves order id to state to, for reason, by whom (ByShopper,
// ByOperator, ...). It releases the order's stock if it is rejected or
// cancelled, adds a sync record keyed "order_state:<id>:<state>" (each state
// is reached at most once), and queues one notification to the shopper in
// their language unless they opted out. A step Allowed refuses is
// ErrBadTransition.
func Transition(tx *store.Tx, id string, to State, reason, by string, now time.Time) (Order, error) {
	return transition(tx, id, to, reason, by, now, true)
}

// TransitionQuiet is Transition without the notification, for a caller
// whose own message already tells the shopper: the shop's reply to a
// shopper's CANCEL, or the steps an operator's DELIVER passes through on
// the way to the one notification that matters.
func TransitionQuiet(tx *store.Tx, id string, to State, reason, by string, now time.Time) (Order, error) {
	return transition(tx, id, to, reason, by, now, false)
}

func transition(tx *store.Tx, id string, to State, reason, by string, now time.Time, tell bool) (Order, error) {
	btx := tx.Bolt()
	now = now.UTC()
	o, err := Get(btx, id)
	if err != nil {
		return Order{}, err
	}
	if !Allowed(o.State, to, by) {
		return Order{}, fmt.Errorf("order %s from %s to %s by %s: %w", o.ID, o.State, to, by, ErrBadTransition)
	}
	var moves []outbox.Stock
	if to == Rejected || to == Cancelled {
		// The order_state record carries the movement back: the server
		// returns the lines of a rejected or cancelled order to its stock.
		for _, q := range quantities(o.Lines) {
			moves = append(moves, outbox.Stock{SKU: q.sku, Delta: q.qty})
			err := catalog.Move(btx, catalog.Movement{SKU: q.sku, Delta: q.qty, ForOrder: true})
			// An item gone from the catalog has no shelf to go back to;
			// the order still ends.
			if err != nil && !errors.Is(err, catalog.ErrNotFound) {
				return Order{}, fmt.Errorf("release stock of order %s: %w", o.ID, err)
			}
		}
	}
	o.State, o.Reason, o.UpdatedAt, o.Synced = to, reason, now, false
	o.History = append(o.History, Change{State: to, At: now, Reason: reason, By: by})
	if err := put(btx, o); err != nil {
		return Order{}, err
	}
	body := outbox.OrderState{ID: o.ID, State: string(to), Reason: reason, By: by, At: now}
	if _, err := outbox.AddMoving(btx, outbox.KindOrderState, outbox.KindOrderState+":"+o.ID+":"+string(to), body, now, moves); err != nil {
		return Order{}, fmt.Errorf("record order %s state for sync: %w", o.ID, err)
	}
	tx.QueuedForSync()
	if !tell {
		return o, nil
	}
	if err := notify(tx, o, now); err != nil {
		return Order{}, err
	}
	return o, nil
}
