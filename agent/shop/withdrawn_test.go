package shop

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/render"
)

func TestSentencePrefixes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Added 1x Salt. Cart: 2 items, Rs12.50. To order, send PICKUP.", []string{
			"Added 1x Salt. Cart: 2 items, Rs12.50. To order, send PICKUP.",
			"Added 1x Salt. Cart: 2 items, Rs12.50.",
			"Added 1x Salt.",
		}},
		{"जोड़ा: 1x नमक। टोकरी: 2 सामान, Rs12। PICKUP भेजें", []string{
			"जोड़ा: 1x नमक। टोकरी: 2 सामान, Rs12। PICKUP भेजें",
			"जोड़ा: 1x नमक। टोकरी: 2 सामान, Rs12।",
			"जोड़ा: 1x नमक।",
		}},
		{"Order placed! Send STATUS", []string{"Order placed! Send STATUS", "Order placed!"}},
		{"", []string{""}},
	} {
		if diff := cmp.Diff(tc.want, sentencePrefixes(tc.in)); diff != "" {
			t.Errorf("sentencePrefixes(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

// An item made inactive leaves the cart on the shopper's next message,
// which says so once, within the budget, in the shopper's language.
func TestWithdrawnLeavesCart(t *testing.T) {
	for _, tc := range []struct {
		lang, note string // the note's first line, the short form where the cart leaves no room for more
	}{
		{"ENGLISH", "Til Oil 500ml no longer sold, removed.\n"},
		{"HINDI", "तिल का तेल 500ml अब नहीं बिकता, हटाया।\n"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
			h.send(shopper, tc.lang)
			h.send(shopper, "1 til oil, 1 tata salt")
			err := h.db.Update(func(tx *store.Tx) error { return catalog.SetActive(tx.Bolt(), "TIL500", false) })
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range []bool{true, false} {
				out := h.send(shopper, "CART")
				if len(out) != 1 {
					t.Fatalf("message %d: %d replies", i, len(out))
				}
				r := out[0]
				if got := strings.HasPrefix(r.Text, tc.note); got != want {
					t.Errorf("message %d: note %v, want %v: %q", i, got, want, r.Text)
				}
				if strings.Contains(r.Text, "x1 Rs140") || !strings.Contains(r.Text, "Rs28") {
					t.Errorf("message %d: cart %q, want the salt and no oil", i, r.Text)
				}
				if budget := render.Budget(protocol.ParseLang(strings.ToLower(tc.lang[:2]))); r.Segments > budget {
					t.Errorf("message %d: %d segments, budget %d", i, r.Segments, budget)
				}
			}
			var c cart
			err = h.db.View(func(tx *store.Tx) error {
				_, err := store.Load(tx.Bolt(), bucketCarts, key(shopper), &c)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]cartLine{{SKU: "SALT1", Qty: 1}}, c.Lines); diff != "" {
				t.Errorf("cart (-want +got):\n%s", diff)
			}
		})
	}
}
