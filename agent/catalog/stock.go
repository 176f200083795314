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

// A Movement changes the units of one item on hand.
type Movement struct {
	SKU string
	// Delta is units put back (positive) or taken off the shelf
	// (negative); taking more than are on hand is a *StockError.
	Delta int
	// Counted sets the units on hand to Count outright (an operator's
	// count); Delta is then unused.
	Counted bool
	Count   int
	// ForOrder marks an order's own lines: the order's sync records carry
	// the movement (the server takes an order's lines off its stock, and
	// agent/orders counts them as pending through outbox.AddMoving), so no
	// stock record is added. Every other movement is recorded for sync
	// with Reason ("operator", "set") and At.
	ForOrder bool
	Reason   string
	At       time.Time
}

// Move applies m inside tx. A movement that leaves the count as it was
// records nothing.
func Move(tx *bbolt.Tx, m Movement) error {
	if m.Counted && (m.Count < 0 || m.Count > MaxStock) {
		return fmt.Errorf("set stock of %q to %d (0 to %d): %w", m.SKU, m.Count, MaxStock, ErrInvalid)
	}
	if !m.Counted && (m.Delta == 0 || m.Delta < -MaxStock || m.Delta > MaxStock) {
		return fmt.Errorf("move %d of %q: %w", m.Delta, m.SKU, ErrInvalid)
	}
	delta, err := moveQuiet(tx, m.SKU, func(have int) (int, error) {
		switch {
		case m.Counted:
			return m.Count, nil
		case have+m.Delta < 0:
			return 0, &StockError{SKU: m.SKU, Have: have, Want: -m.Delta}
		}
		return have + m.Delta, nil
	})
	if err != nil || delta == 0 || m.ForOrder {
		return err
	}
	if _, err := outbox.AddStock(tx, m.SKU, delta, m.Reason, m.At); err != nil {
		return fmt.Errorf("record stock movement of %q: %w", m.SKU, err)
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
