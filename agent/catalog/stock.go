package catalog

import (
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/sync/outbox"
	"github.com/tokrihq/tokri/sync/wire"
)

// Bounds on an item's price and stock, the same at every entry and on
// the central server (see wire.MaxPrice).
const (
	MaxPrice = wire.MaxPrice // paise
	MaxStock = wire.MaxStock // units
)

// validQty says whether qty units can be one movement.
func validQty(qty int) bool { return qty > 0 && qty <= MaxStock }

// Reasons recorded with stock movements made without one.
const (
	ReasonReserve = "reserve"
	ReasonRelease = "release"
	ReasonSet     = "set"
)

// Reserve takes qty units of sku off the shelf (stock -= qty), or returns a
// *StockError if fewer are on hand. It records the movement for sync.
func Reserve(tx *bbolt.Tx, sku string, qty int) error {
	return ReserveFor(tx, sku, qty, ReasonReserve, time.Now())
}

// Release puts qty units of sku back (stock += qty) and records it for
// sync.
func Release(tx *bbolt.Tx, sku string, qty int) error {
	return ReleaseFor(tx, sku, qty, ReasonRelease, time.Now())
}

// SetStock sets the units on hand (a count by the operator) and records
// the difference for sync.
func SetStock(tx *bbolt.Tx, sku string, n int) error {
	return SetStockAt(tx, sku, n, ReasonSet, time.Now())
}

// ReserveFor is Reserve with the reason ("order:ACD34") and time the sync
// record carries.
func ReserveFor(tx *bbolt.Tx, sku string, qty int, reason string, at time.Time) error {
	if !validQty(qty) {
		return fmt.Errorf("reserve %d of %q: %w", qty, sku, ErrInvalid)
	}
	return move(tx, sku, func(have int) (int, error) {
		if have < qty {
			return 0, &StockError{SKU: sku, Have: have, Want: qty}
		}
		return have - qty, nil
	}, reason, at)
}

// ReleaseFor is Release with the reason and time the sync record carries.
func ReleaseFor(tx *bbolt.Tx, sku string, qty int, reason string, at time.Time) error {
	if !validQty(qty) {
		return fmt.Errorf("release %d of %q: %w", qty, sku, ErrInvalid)
	}
	return move(tx, sku, func(have int) (int, error) { return have + qty, nil }, reason, at)
}

// ReserveForOrder takes qty units of sku off the shelf like Reserve but adds
// no stock record: the order's own sync record carries the movement (the
// server takes an order's lines off its stock), and agent/orders counts it
// as pending through outbox.AddMoving.
func ReserveForOrder(tx *bbolt.Tx, sku string, qty int) error {
	if !validQty(qty) {
		return fmt.Errorf("reserve %d of %q: %w", qty, sku, ErrInvalid)
	}
	_, err := moveQuiet(tx, sku, func(have int) (int, error) {
		if have < qty {
			return 0, &StockError{SKU: sku, Have: have, Want: qty}
		}
		return have - qty, nil
	})
	return err
}

// ReleaseForOrder puts qty units of sku back like Release but adds no stock
// record: the order's rejection or cancellation, synced as an order_state
// record, carries the movement.
func ReleaseForOrder(tx *bbolt.Tx, sku string, qty int) error {
	if !validQty(qty) {
		return fmt.Errorf("release %d of %q: %w", qty, sku, ErrInvalid)
	}
	_, err := moveQuiet(tx, sku, func(have int) (int, error) { return have + qty, nil })
	return err
}

// SetStockAt is SetStock with the reason and time the sync record carries.
func SetStockAt(tx *bbolt.Tx, sku string, n int, reason string, at time.Time) error {
	if n < 0 || n > MaxStock {
		return fmt.Errorf("set stock of %q to %d (0 to %d): %w", sku, n, MaxStock, ErrInvalid)
	}
	return move(tx, sku, func(int) (int, error) { return n, nil }, reason, at)
}

func move(tx *bbolt.Tx, sku string, fn func(have int) (int, error), reason string, at time.Time) error {
	delta, err := moveQuiet(tx, sku, fn)
	if err != nil || delta == 0 {
		return err
	}
	if _, err := outbox.AddStock(tx, sku, delta, reason, at); err != nil {
		return fmt.Errorf("record stock movement of %q: %w", sku, err)
	}
	return nil
}

// moveQuiet changes an item's stock without a sync record and says by how
// much.
func moveQuiet(tx *bbolt.Tx, sku string, fn func(have int) (int, error)) (delta int, err error) {
	it, err := Get(tx, sku)
	if err != nil {
		return 0, err
	}
	n, err := fn(it.Stock)
	if err != nil {
		return 0, err
	}
	if delta = n - it.Stock; delta == 0 {
		return 0, nil
	}
	it.Stock = n
	if err := writeItem(tx, it); err != nil {
		return 0, err
	}
	return delta, bump(tx, false)
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
