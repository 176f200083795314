package server

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/tokrihq/tokri/sync/wire"
)

// Check decodes and validates one pushed record; an error is a reason to
// reject it (wire.CodeBadRecord), safe to show the agent.
func Check(r wire.Record) (Record, error) {
	out := Record{Record: r}
	if r.Key == "" || len(r.Key) > 200 {
		return out, fmt.Errorf("key must be 1 to 200 bytes")
	}
	switch r.Kind {
	case wire.KindOrder:
		var b wire.OrderBody
		if err := json.Unmarshal(r.Body, &b); err != nil {
			return out, fmt.Errorf("order body: %w", err)
		}
		if b.ID == "" {
			return out, fmt.Errorf("order body: id is empty")
		}
		if len(b.Lines) == 0 {
			return out, fmt.Errorf("order %s: no lines", b.ID)
		}
		for i, l := range b.Lines {
			if l.SKU == "" || l.Qty <= 0 || l.Qty > wire.MaxStock || l.Price < 0 || l.Price > wire.MaxPrice {
				return out, fmt.Errorf("order %s line %d: needs a sku, qty 1 to %d and price 0 to %d paise", b.ID, i+1, wire.MaxStock, wire.MaxPrice)
			}
		}
		out.Order = &b
	case wire.KindOrderState:
		var b wire.OrderStateBody
		if err := json.Unmarshal(r.Body, &b); err != nil {
			return out, fmt.Errorf("order_state body: %w", err)
		}
		if b.ID == "" || b.State == "" {
			return out, fmt.Errorf("order_state body: id and state are required")
		}
		out.State = &b
	case wire.KindStock:
		var b wire.StockBody
		if err := json.Unmarshal(r.Body, &b); err != nil {
			return out, fmt.Errorf("stock body: %w", err)
		}
		if b.SKU == "" {
			return out, fmt.Errorf("stock body: sku is empty")
		}
		if b.Delta < -wire.MaxStock || b.Delta > wire.MaxStock {
			return out, fmt.Errorf("stock body: delta %d beyond %d units", b.Delta, wire.MaxStock)
		}
		out.Stock = &b
	default:
		return out, fmt.Errorf("unknown kind %q", r.Kind)
	}
	return out, nil
}

// OrderID is the order a record of kind order or order_state is about.
func (r Record) OrderID() string {
	switch {
	case r.Order != nil:
		return r.Order.ID
	case r.State != nil:
		return r.State.ID
	}
	return ""
}

// ApplyOrder folds an order or order_state record into o (the zero Order
// when the server has not heard of it). Backends call it inside their
// transaction so that both keep orders the same way.
func ApplyOrder(o *Order, r Record, now time.Time) {
	if o.ID == "" {
		o.ID = r.OrderID()
		o.ReceivedAt = now
	}
	o.UpdatedAt = now
	switch {
	case r.Order != nil:
		placed := *r.Order
		o.Placed = &placed
	case r.State != nil:
		at := r.State.At
		if at.IsZero() {
			at = r.At
		}
		o.History = append(o.History, wire.StateChange{State: r.State.State, At: at, Reason: r.State.Reason, By: r.State.By})
	}
	switch {
	case len(o.History) > 0:
		o.State = o.History[len(o.History)-1].State
	case o.Placed != nil:
		o.State = o.Placed.State
		if o.State == "" {
			o.State = statePlaced
		}
	}
}

// Order states the server acts on.
const (
	statePlaced    = "placed"
	stateRejected  = "rejected"
	stateCancelled = "cancelled"
)

// Holds says whether o keeps stock off the shelf: the server has its lines
// and it was not rejected or cancelled.
func (o Order) Holds() bool {
	return o.Placed != nil && o.State != stateRejected && o.State != stateCancelled
}

// StockMoves adds to deltas the stock movement that took an order from
// before to after (ApplyOrder of one record): its lines leave the shelf when
// the order arrives and come back when it is rejected or cancelled. An order
// whose cancellation arrived first never moves stock.
func StockMoves(before, after Order, deltas map[string]int) {
	if before.Holds() {
		for _, l := range before.Placed.Lines {
			deltas[l.SKU] += l.Qty
		}
	}
	if after.Holds() {
		for _, l := range after.Placed.Lines {
			deltas[l.SKU] -= l.Qty
		}
	}
}

// CategoriesOf lists the categories of items in order of first appearance,
// the order a CSV import gives them.
func CategoriesOf(items []wire.Item) []wire.Category {
	seen := map[string]bool{}
	var out []wire.Category
	for _, it := range items {
		if it.Category == "" || seen[it.Category] {
			continue
		}
		seen[it.Category] = true
		out = append(out, wire.Category{Name: it.Category, Order: len(out)})
	}
	return out
}

// ItemEqual says whether an import would change nothing about an item.
func ItemEqual(a, b wire.Item) bool {
	if a.SKU != b.SKU || a.Name != b.Name || a.NameHi != b.NameHi || a.Category != b.Category ||
		a.Unit != b.Unit || a.Price != b.Price || a.Stock != b.Stock || a.Active != b.Active {
		return false
	}
	return slices.Equal(a.Synonyms, b.Synonyms)
}
