// Package seed is the small shop agent/admin's tests and cmd/tokri's
// operator command tests read and change: both see the same three items,
// two shoppers and two orders, so the API and the commands over it are
// checked on one fixture. It holds the data directory and the server
// helpers they share too. It imports no part of the agent above the
// store, so agent/admin's own tests can use it where testkit, which
// imports the whole system, would be a cycle.
package seed

import (
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
)

// Now is when the seeded shoppers were first seen and the first order
// placed, and the clock of the tests on the seeded shop.
var Now = time.Date(2026, 5, 1, 10, 30, 0, 0, time.UTC)

// Clock reads Now, for a store's or a server's Now.
func Clock() time.Time { return Now }

// CSV is the seeded catalog as an import file.
const CSV = `sku,name,name_hi,category,unit,price,stock,synonyms
ATTA5,Aashirvaad Atta,आशीर्वाद आटा,Staples,5 kg,265.00,20,aata|gehu atta
DAL1,Toor Dal,तूर दाल,Staples,1 kg,165,30,arhar
MILK,Amul Taaza,अमूल ताज़ा,Dairy,500 ml,27.50,50,doodh
`

// The seeded shoppers; ShopperA placed the first order.
const (
	ShopperA = "+919876543210"
	ShopperB = "+919812345678"
)

// Shop fills a store with CSV's catalog, the two shoppers and an order
// from each, placed at Now and a minute on, and returns the orders' IDs.
func Shop(t testing.TB, db *store.DB) (first, second string) {
	t.Helper()
	now := Now
	items, err := catalog.ParseCSV(strings.NewReader(CSV))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	err = db.Update(func(tx *store.Tx) error {
		ids = ids[:0]
		if _, err := catalog.Import(tx.Bolt(), items); err != nil {
			return err
		}
		for _, n := range []string{ShopperA, ShopperB} {
			if err := shoppers.Put(tx.Bolt(), shoppers.Profile{Number: n, Lang: "hi", FirstSeen: now, LastSeen: now}); err != nil {
				return err
			}
		}
		for i, sh := range []string{ShopperA, ShopperB} {
			o := orders.Order{
				Shopper: sh,
				Lines:   []orders.Line{{SKU: "ATTA5", Name: "Aashirvaad Atta", Unit: "5 kg", Qty: 1 + i, Price: 26500}},
				Mode:    "pickup", Payment: "cod",
			}
			o.Subtotal = 26500 * int64(1+i)
			o.Total = o.Subtotal
			placed, err := orders.Place(tx, o, now.Add(time.Duration(i)*time.Minute))
			if err != nil {
				return err
			}
			ids = append(ids, placed.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids[0], ids[1]
}
