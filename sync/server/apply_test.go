package server_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/wire"
)

// Sync is an entry for money and stock too: an order line or a stock
// movement past the bounds is refused, so no total or stock on the server
// can wrap.
func TestCheckBounds(t *testing.T) {
	at := time.Date(2026, 1, 21, 8, 0, 0, 0, time.UTC)
	order := func(qty int, price int64) wire.Record {
		b, _ := json.Marshal(wire.OrderBody{ID: "ACDEF", Lines: []wire.OrderLine{{SKU: "ATTA", Name: "Atta", Qty: qty, Price: price}}, State: "placed", CreatedAt: at, UpdatedAt: at})
		return wire.Record{Seq: 1, Key: "order:ACDEF:1", Kind: wire.KindOrder, Body: b, At: at}
	}
	stock := func(delta int) wire.Record {
		b, _ := json.Marshal(wire.StockBody{SKU: "ATTA", Delta: delta})
		return wire.Record{Seq: 2, Key: "stock:ATTA:2", Kind: wire.KindStock, Body: b, At: at}
	}
	for name, tc := range map[string]struct {
		r  wire.Record
		ok bool
	}{
		"order at the bounds":  {order(wire.MaxStock, wire.MaxPrice), true},
		"price int64 max":      {order(3, math.MaxInt64), false},
		"price over the bound": {order(1, wire.MaxPrice+1), false},
		"qty over the bound":   {order(wire.MaxStock+1, 100), false},
		"stock at the bound":   {stock(-wire.MaxStock), true},
		"stock int max":        {stock(math.MaxInt), false},
		"stock int min":        {stock(math.MinInt), false},
	} {
		if _, err := server.Check(tc.r); (err == nil) != tc.ok {
			t.Errorf("%s: Check = %v, want ok=%v", name, err, tc.ok)
		}
	}
}
