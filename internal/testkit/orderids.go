package testkit

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
)

// OrderIDs stands in "#n" for the n-th order a golden conversation
// placed: order ids are random, so a transcript names them by number.
// agent/shop's golden test and the replay over the modem share it, so
// both write a transcript the same way.
type OrderIDs struct {
	ids []string // oldest first
}

// Learn numbers the orders placed since the last call, oldest first.
func (o *OrderIDs) Learn(t testing.TB, db *store.DB) {
	t.Helper()
	err := db.View(func(tx *store.Tx) error {
		list, err := orders.List(tx.Bolt(), orders.Filter{})
		if err != nil {
			return err
		}
		for i := len(list) - 1; i >= 0; i-- {
			if !slices.Contains(o.ids, list[i].ID) {
				o.ids = append(o.ids, list[i].ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Hide writes each known order id in s as "#n".
func (o *OrderIDs) Hide(s string) string {
	for i, id := range o.ids {
		s = strings.ReplaceAll(s, id, fmt.Sprintf("#%d", i+1))
	}
	return s
}

// Show writes each "#n" in s as the n-th order's id, highest n first so
// that "#1" does not eat the start of "#12".
func (o *OrderIDs) Show(s string) string {
	for i := len(o.ids) - 1; i >= 0; i-- {
		s = strings.ReplaceAll(s, fmt.Sprintf("#%d", i+1), o.ids[i])
	}
	return s
}
