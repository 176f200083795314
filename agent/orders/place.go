package orders

import (
	"errors"
	"fmt"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/sync/outbox"
)

// Place stores a new order from o's Shopper, Lines, DeliveryFee, Mode,
// Address and Payment (an empty Mode is pickup, an empty Payment cash on
// delivery). It assigns the id, works out the totals from the lines,
// reserves the stock of every line, or of none if any is short (a
// *catalog.StockError; an inactive item counts as none on hand), and adds a
// sync record, which also carries the stock movement to the server. It sends no SMS: the shop's reply confirms the order.
func Place(tx *store.Tx, o Order, now time.Time) (Order, error) {
	btx := tx.Bolt()
	now = now.UTC()
	if err := validate(&o); err != nil {
		return Order{}, err
	}
	want := quantities(o.Lines)
	// Check every line before reserving any, so a short one leaves nothing
	// half done even if the caller goes on to commit its reply.
	for _, q := range want {
		it, err := catalog.Get(btx, q.sku)
		if err != nil {
			return Order{}, fmt.Errorf("place order: %w", err)
		}
		have := it.Stock
		if !it.Active {
			have = 0
		}
		if have < q.qty {
			return Order{}, &catalog.StockError{SKU: q.sku, Have: have, Want: q.qty}
		}
	}
	id, err := freshID(tx)
	if err != nil {
		return Order{}, err
	}
	// The order record carries the movement: the server takes the lines
	// off its stock when it stores the order, so no stock record repeats
	// them, and the outbox counts them as pending until then.
	moves := make([]outbox.Stock, 0, len(want))
	for _, q := range want {
		if err := catalog.Move(btx, catalog.Movement{SKU: q.sku, Delta: -q.qty, ForOrder: true}); err != nil {
			return Order{}, fmt.Errorf("place order %s: %w", id, err)
		}
		moves = append(moves, outbox.Stock{SKU: q.sku, Delta: -q.qty})
	}
	o.ID = id
	o.State = Placed
	o.Reason = ""
	o.CreatedAt, o.UpdatedAt = now, now
	o.History = []Change{{State: Placed, At: now, By: ByShopper}}
	o.Synced = false
	if err := put(btx, o); err != nil {
		return Order{}, err
	}
	if _, err := outbox.AddMoving(btx, outbox.KindOrder, outbox.KindOrder+":"+id+":"+string(Placed), o, now, moves); err != nil {
		return Order{}, fmt.Errorf("record order %s for sync: %w", id, err)
	}
	tx.QueuedForSync()
	if err := shoppers.SetLastOrder(btx, o.Shopper, id); err != nil {
		return Order{}, fmt.Errorf("place order %s: %w", id, err)
	}
	if err := announce(tx, o); err != nil {
		return Order{}, err
	}
	return o, nil
}

func validate(o *Order) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("place order: "+format+": %w", append(args, ErrInvalid)...)
	}
	if o.Shopper == "" {
		return bad("no shopper")
	}
	if len(o.Lines) == 0 {
		return bad("no lines")
	}
	switch o.Mode {
	case "":
		o.Mode = ModePickup
	case ModeDelivery, ModePickup:
	default:
		return bad("mode %q", o.Mode)
	}
	switch o.Payment {
	case "":
		o.Payment = PayCOD
	case PayCOD, PayUPI:
	default:
		return bad("payment %q", o.Payment)
	}
	if o.DeliveryFee < 0 {
		return bad("delivery fee %d", o.DeliveryFee)
	}
	o.Lines = append([]Line(nil), o.Lines...)
	o.Subtotal = 0
	for i, l := range o.Lines {
		if l.SKU == "" || l.Qty <= 0 || l.Price < 0 {
			return bad("line %d: sku %q, qty %d, price %d", i+1, l.SKU, l.Qty, l.Price)
		}
		o.Subtotal += int64(l.Qty) * l.Price
	}
	o.Total = o.Subtotal + o.DeliveryFee
	return nil
}

type skuQty struct {
	sku string
	qty int
}

// quantities adds up the lines by SKU, in order of first appearance.
func quantities(lines []Line) []skuQty {
	var out []skuQty
	at := map[string]int{}
	for _, l := range lines {
		if i, ok := at[l.SKU]; ok {
			out[i].qty += l.Qty
			continue
		}
		at[l.SKU] = len(out)
		out = append(out, skuQty{l.SKU, l.Qty})
	}
	return out
}

// errIDsExhausted means every id tried was taken: the id space is nearly
// full and the store needs pruning.
var errIDsExhausted = errors.New("orders: no free order id")

func freshID(tx *store.Tx) (string, error) {
	b := tx.Bolt().Bucket(bucketByID)
	for range maxIDTries {
		id := newID()
		if b == nil || b.Get([]byte(id)) == nil {
			return id, nil
		}
	}
	return "", fmt.Errorf("place order after %d tries: %w", maxIDTries, errIDsExhausted)
}
