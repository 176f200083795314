package shop

import (
	"strings"
	"testing"

	"github.com/tokrihq/tokri/internal/testkit"
)

// An operator listed without the country code runs the shop from a phone
// the network reports in international form, and the other way round.
func TestOperatorInAnyForm(t *testing.T) {
	tests := []struct{ listed, from string }{
		{"9800000009", "+919800000009"},
		{"09800000009", "+919800000009"},
		{"+91 98000 00009", "919800000009"},
		{"+919800000009", "09800000009"},
	}
	for _, tt := range tests {
		cfg := testkit.ShopConfig(t, "")
		cfg.Operators = []string{tt.listed}
		h := newHarness(t, cfg, testkit.ExampleCatalog(t))
		out := h.send(tt.from, "OP 4321 ORDERS")
		if len(out) != 1 || !strings.HasPrefix(out[0].Text, "No new orders") {
			t.Errorf("listed %q, from %q: answered %+v, want the operator's order list", tt.listed, tt.from, out)
		}
		if n := h.shop.Notices().Operators; len(n) != 1 || n[0] != "+919800000009" {
			t.Errorf("listed %q: new orders go to %q, want +919800000009", tt.listed, n)
		}
	}
}

// A shopper whose number arrives once in national and once in
// international form keeps one cart.
func TestOneCartWhateverTheForm(t *testing.T) {
	h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
	h.send("09811110001", "2 aashirvaad atta 5kg")
	out := h.send("+919811110001", "1 tata salt")
	if len(out) != 1 || !strings.Contains(out[0].Text, "Cart: 2 items") || out[0].To != "+919811110001" {
		t.Errorf("second message answered %+v, want a cart of both", out)
	}
}
