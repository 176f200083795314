package uplink

import (
	"encoding/json"
	"errors"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/sync/outbox"
	"github.com/tokrihq/tokri/sync/wire"
)

// toWire turns an outbox record into its wire form. An order's body is
// stored as the agent's orders.Order, whose JSON names are the agent's own
// (snake_case); it is re-encoded as a compact wire.OrderBody (see
// orderBody). Other bodies already have the wire's shape and go as stored.
// Times go in whole seconds; the moves a record carries stay on the agent.
func toWire(rec outbox.Record) wire.Record {
	w := wire.Record{Seq: rec.Seq, Key: rec.Key, Kind: rec.Kind, Body: rec.Body, At: rec.At.Truncate(time.Second)}
	if rec.Kind != outbox.KindOrder {
		return w
	}
	var o orders.Order
	if err := json.Unmarshal(rec.Body, &o); err != nil || o.ID == "" {
		return w // let the server judge it; a refusal sets it aside
	}
	if b, err := json.Marshal(orderBody(o)); err == nil {
		w.Body = b
	}
	return w
}

// orderBody is what the server keeps of an order as placed: ids, SKUs,
// quantities, the prices quoted, totals, mode, payment, address and the
// time placed in whole seconds. Line names are left out (the server has
// them in its catalog), and so are the history and the time of the latest
// change (order_state records carry every later step). The state is sent
// only when it is not "placed".
func orderBody(o orders.Order) wire.OrderBody {
	w := wire.OrderBody{
		ID: o.ID, Shopper: o.Shopper, Subtotal: o.Subtotal, DeliveryFee: o.DeliveryFee, Total: o.Total,
		Mode: o.Mode, Address: o.Address, Payment: o.Payment, Reason: o.Reason,
		CreatedAt: o.CreatedAt.UTC().Truncate(time.Second),
	}
	if o.State != orders.Placed {
		w.State = string(o.State)
	}
	for _, l := range o.Lines {
		w.Lines = append(w.Lines, wire.OrderLine{SKU: l.SKU, Qty: l.Qty, Price: l.Price})
	}
	return w
}

// markSynced tells the agent's order that the server holds its latest
// change, when rec (just acknowledged) is that change: an order placed
// and not changed since, or its latest state. An order pruned locally is
// nothing to mark.
func markSynced(tx *bbolt.Tx, rec outbox.Record) error {
	if rec.Kind != outbox.KindOrder && rec.Kind != outbox.KindOrderState {
		return nil
	}
	var b struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	if err := json.Unmarshal(rec.Body, &b); err != nil || b.ID == "" {
		return nil
	}
	o, err := orders.Get(tx, b.ID)
	if errors.Is(err, orders.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if o.Synced || string(o.State) != b.State || rec.At.Before(o.UpdatedAt) {
		return nil
	}
	return orders.SetSynced(tx, o.ID, true)
}
