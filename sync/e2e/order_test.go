package e2e

import (
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
)

// line is what a shopper asks for.
type line struct {
	SKU string
	Qty int
}

// place takes an order on the agent as the shop does: lines priced from
// the catalog as it stands, then orders.Place in one transaction.
func (a *agent) place(shopper string, lines []line, now time.Time) (orders.Order, error) {
	var placed orders.Order
	err := a.db.Update(func(tx *store.Tx) error {
		o := orders.Order{Shopper: shopper, Mode: orders.ModeDelivery, Address: "12 Gali 3", DeliveryFee: 20_00}
		for _, l := range lines {
			it, err := catalog.Get(tx.Bolt(), l.SKU)
			if err != nil {
				return err
			}
			o.Lines = append(o.Lines, orders.Line{SKU: it.SKU, Name: it.Name, NameHi: it.NameHi, Unit: it.Unit, Qty: l.Qty, Price: it.Price})
		}
		var err error
		placed, err = orders.Place(tx, o, now)
		return err
	})
	return placed, err
}
