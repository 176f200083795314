package shop

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/internal/testkit"
)

func (h *harness) order(id string) orders.Order {
	h.t.Helper()
	var o orders.Order
	testkit.View(h.t, h.db, func(tx *bbolt.Tx) (err error) {
		o, err = orders.Get(tx, id)
		return err
	})
	return o
}

// last is the shopper's newest order; ok is false when there is none.
func (h *harness) last(from string) (o orders.Order, ok bool) {
	h.t.Helper()
	testkit.View(h.t, h.db, func(tx *bbolt.Tx) (err error) {
		o, ok, err = orders.Last(tx, from)
		return err
	})
	return o, ok
}

// An order keeps the prices it was placed at; a price change reaches only
// orders placed after it, REPEAT among them.
func TestOrderKeepsItsPrice(t *testing.T) {
	h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
	first := h.placeOrder(shopper) // 2x ATTA5 at Rs285, pickup
	placed := h.order(first)
	if placed.Total != 57000 || placed.Lines[0].Price != 28500 {
		t.Fatalf("placed %+v, want 2x Rs285 = Rs570", placed)
	}

	out := h.send(operator, "OP 4321 PRICE ATTA5 300")
	if len(out) != 1 || !strings.Contains(out[0].Text, "ATTA5 price Rs300") {
		t.Fatalf("price change answered %+v", out)
	}
	if diff := cmp.Diff(placed, h.order(first)); diff != "" {
		t.Errorf("a price change moved the order (-placed +now):\n%s", diff)
	}
	if out := h.send(shopper, "STATUS"); !strings.Contains(out[0].Text, first) {
		t.Errorf("STATUS answered %q", out[0].Text)
	}

	out = h.send(shopper, "REPEAT")
	if len(out) != 1 || !strings.Contains(out[0].Text, "Total Rs600") {
		t.Fatalf("REPEAT answered %+v, want today's total Rs600", out)
	}
	out = replies(h.send(shopper, "YES")) // the operator hears of it too
	if len(out) != 1 || !strings.Contains(out[0].Text, "Total Rs600") {
		t.Fatalf("YES answered %+v", out)
	}
	again, _ := h.last(shopper)
	if again.ID == first || again.Total != 60000 || again.Subtotal != 60000 || again.Lines[0].Price != 30000 || again.Lines[0].Qty != 2 {
		t.Errorf("repeated order %+v, want 2x Rs300 = Rs600", again)
	}
	if diff := cmp.Diff(placed, h.order(first)); diff != "" {
		t.Errorf("the repeat moved the first order (-placed +now):\n%s", diff)
	}
}
