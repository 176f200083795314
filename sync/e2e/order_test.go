package e2e

import (
	"fmt"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/sync/outbox"
	"github.com/tokrihq/tokri/sync/wire"
)

// line is what a shopper asks for.
type line struct {
	SKU string
	Qty int
}

// place takes an order on the agent, in one transaction, and returns the
// line prices the shopper was quoted.
func (a *agent) place(id string, lines []line, now time.Time) (map[string]int64, error) {
	prices := map[string]int64{}
	err := a.db.Update(func(tx *store.Tx) error {
		body := wire.OrderBody{ID: id, State: "placed", CreatedAt: now, UpdatedAt: now, Mode: "pickup", Payment: "cod"}
		for _, l := range lines {
			it, err := catalog.Get(tx.Bolt(), l.SKU)
			if err != nil {
				return err
			}
			if err := catalog.ReserveFor(tx.Bolt(), l.SKU, l.Qty, "order:"+id, now); err != nil {
				return err
			}
			prices[l.SKU] = it.Price
			body.Lines = append(body.Lines, wire.OrderLine{SKU: l.SKU, Name: it.Name, Qty: l.Qty, Price: it.Price})
			body.Subtotal += it.Price * int64(l.Qty)
		}
		body.Total = body.Subtotal
		_, err := outbox.Add(tx.Bolt(), outbox.KindOrder, fmt.Sprintf("order:%s:placed", id), body, now)
		return err
	})
	return prices, err
}
