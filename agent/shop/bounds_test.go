package shop

import (
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
)

// The operator's SMS is an entry for prices and stock like the CLI: values
// past the bounds are refused and change nothing.
func TestOperatorSMSBounds(t *testing.T) {
	h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
	for _, msg := range []string{
		"OP 4321 PRICE ATTA5 92233720368547758.07",
		"OP 4321 PRICE ATTA5 1000000.01",
		"OP 4321 STOCK ATTA5 9223372036854775807",
		"OP 4321 STOCK ATTA5 1000001",
	} {
		out := h.send(operator, msg)
		t.Logf("%s -> %q", msg, out[0].Text)
		if len(out) != 1 || strings.HasPrefix(out[0].Text, "OK:") {
			t.Errorf("%q answered %+v, want a refusal", msg, out)
		}
	}
	err := h.db.View(func(tx *store.Tx) error {
		it, err := catalog.Get(tx.Bolt(), "ATTA5")
		if err != nil {
			return err
		}
		if it.Price != 28500 || it.Stock > catalog.MaxStock {
			t.Errorf("ATTA5 now price %d stock %d", it.Price, it.Stock)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
