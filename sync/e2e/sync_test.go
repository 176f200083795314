package e2e

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/agent/uplink"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/sync/faultproxy"
	"github.com/tokrihq/tokri/sync/wire"
)

func bySKU(items []wire.Item) []wire.Item {
	out := slices.Clone(items)
	sort.Slice(out, func(i, j int) bool { return out[i].SKU < out[j].SKU })
	for i := range out {
		if len(out[i].Synonyms) == 0 {
			out[i].Synonyms = nil
		}
	}
	return out
}

func TestConvergesThroughFaults(t *testing.T) {
	c := startCentral(t, time.Now)
	stock := 1000
	items := catalog.Generate(120, 1)
	for i := range items {
		items[i].Active, items[i].Stock = true, stock
	}
	c.importItems(items)
	a := startAgent(t, c.front, time.Now, nil)

	c.proxy.SetDecider(faultproxy.Random(42, faultproxy.Mix{
		Drop: 0.08, DropResponse: 0.08, CutRequest: 0.08, CutResponse: 0.08, Duplicate: 0.08,
		Delay: 0.2, MaxDelay: 15 * time.Millisecond,
	}))
	stop := a.run()
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	testtime.Until(t, "the catalog through the faults", func() bool { return len(a.items()) == len(items) })

	requests := func() int {
		n := 0
		for _, v := range c.proxy.Counts() {
			n += v
		}
		return n
	}
	rng := rand.New(rand.NewPCG(7, 7))
	placed := map[string]orders.Order{}
	accepted := map[string]bool{}
	reserved := map[string]int{}
	repriced := map[string]bool{}
	var withdrawn []string
	const nOrders = 40
	for i := range nOrders {
		// The agent sells what it believes is on offer.
		var offer []wire.Item
		for _, it := range a.items() {
			if it.Active && it.Stock > 10 {
				offer = append(offer, it)
			}
		}
		var lines []line
		for _, k := range rng.Perm(len(offer))[:1+rng.IntN(3)] {
			lines = append(lines, line{SKU: offer[k].SKU, Qty: 1 + rng.IntN(3)})
		}
		o, err := a.place(fmt.Sprintf("+9198%08d", i), lines, time.Now())
		if err != nil {
			t.Fatalf("place order %d: %v", i, err)
		}
		placed[o.ID] = o
		if i%5 == 1 {
			// The operator accepts every fifth order; the state change
			// travels as its own record.
			err := a.db.Update(func(tx *store.Tx) error {
				_, err := orders.Transition(tx, o.ID, orders.Accepted, "", orders.ByOperator, time.Now())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			accepted[o.ID] = true
		}
		prices := map[string]bool{}
		for _, l := range o.Lines {
			reserved[l.SKU] += l.Qty
			prices[l.SKU] = true
		}
		switch {
		case i%8 == 4:
			// The office raises the price of what was just sold.
			c.change(func(it *wire.Item) bool {
				if _, ok := prices[it.SKU]; ok {
					it.Price += 500
					repriced[it.SKU] = true
					return true
				}
				return false
			})
		case i == 15:
			c.change(func(it *wire.Item) bool {
				if it.Active && !repriced[it.SKU] && reserved[it.SKU] == 0 && len(withdrawn) < 3 {
					it.Active = false
					withdrawn = append(withdrawn, it.SKU)
					return true
				}
				return false
			})
		case i == 20 || i == 32:
			c.restart()
		}
		// Let the link carry something before the next order.
		n := requests()
		testtime.Until(t, "the next request", func() bool { return requests() > n })
	}

	// The faults stop; everything must converge.
	c.proxy.SetDecider(nil)
	testtime.Until(t, "the agent to catch up", func() bool {
		st := a.client.Status()
		_, _, ver := c.items()
		return st.Pending == 0 && st.CatalogVersion == ver && st.LastError == ""
	})
	stop()
	stopped = true
	if r, err := a.client.SyncNow(t.Context()); err != nil || r.Pushed+r.Items != 0 {
		t.Errorf("a last round found work: %+v, %v", r, err)
	}

	for k, n := range c.proxy.Counts() {
		t.Logf("%v: %d", k, n)
	}
	for k := faultproxy.Drop; k <= faultproxy.Duplicate; k++ {
		if c.proxy.Counts()[k] == 0 {
			t.Errorf("no %v fault happened: the test proved less than it claims", k)
		}
	}

	// Every order, once, as placed: at the prices quoted.
	got := c.orders()
	if len(got) != nOrders {
		t.Errorf("server has %d orders, want %d", len(got), nOrders)
	}
	seen := map[string]bool{}
	oldPrice := 0
	central, _, _ := c.items()
	now := map[string]int64{}
	for _, it := range central {
		now[it.SKU] = it.Price
	}
	for _, o := range got {
		if seen[o.ID] {
			t.Errorf("order %s twice", o.ID)
		}
		seen[o.ID] = true
		want, ok := placed[o.ID]
		if !ok || o.Placed == nil {
			t.Errorf("order %s: unknown or without its body", o.ID)
			continue
		}
		if diff := cmp.Diff(asWire(want), *o.Placed); diff != "" {
			t.Errorf("order %s on the server differs from the agent's (-agent +server):\n%s", o.ID, diff)
		}
		wantState := "placed"
		if accepted[o.ID] {
			wantState = "accepted"
		}
		if o.State != wantState {
			t.Errorf("order %s is %q on the server, want %q", o.ID, o.State, wantState)
		}
		for _, l := range o.Placed.Lines {
			if l.Price != now[l.SKU] {
				oldPrice++
			}
		}
	}
	// The agent's own orders keep their prices too.
	err := a.db.View(func(tx *store.Tx) error {
		for id, want := range placed {
			o, err := orders.Get(tx.Bolt(), id)
			if err != nil {
				return err
			}
			if !o.Synced {
				t.Errorf("agent order %s not marked synced", id)
			}
			if diff := cmp.Diff(want.Lines, o.Lines); diff != "" {
				t.Errorf("agent order %s lines changed (-placed +now):\n%s", id, diff)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if oldPrice == 0 {
		t.Error("no order line kept a price that changed centrally: the conflict was not exercised")
	}

	// The agent's catalog is the server's.
	if diff := cmp.Diff(bySKU(central), bySKU(a.items())); diff != "" {
		t.Errorf("agent catalog differs from the server's (-server +agent):\n%s", diff)
	}
	for _, it := range central {
		if !repriced[it.SKU] && it.Stock != stock-reserved[it.SKU] {
			t.Errorf("%s: central stock %d, want %d - %d sold", it.SKU, it.Stock, stock, reserved[it.SKU])
		}
	}

	// The withdrawn items are off the shop's shelves, so carts drop them.
	err = a.db.View(func(tx *store.Tx) error {
		for _, sku := range withdrawn {
			it, err := catalog.Get(tx.Bolt(), sku)
			if err != nil {
				return err
			}
			if it.Active {
				t.Errorf("%s withdrawn centrally is still on offer at the shop", sku)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(withdrawn) != 3 {
		t.Errorf("withdrew %d items, want 3", len(withdrawn))
	}
}

func TestBudgetStopsARoundAndResumesTheNextDay(t *testing.T) {
	clk := testtime.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	c := startCentral(t, clk.Now)
	items := catalog.Generate(20, 2)
	for i := range items {
		items[i].Active, items[i].Stock = true, 100
	}
	c.importItems(items)
	const budget = 12_000
	a := startAgent(t, c.front, clk.Now, func(o *uplink.Options) {
		o.DailyBytes, o.Batch = budget, 1
	})
	if _, err := a.client.SyncNow(t.Context()); err != nil {
		t.Fatalf("first catalog pull: %v", err)
	}
	const nOrders = 30
	for i := range nOrders {
		if _, err := a.place(fmt.Sprintf("+9198%08d", i), []line{{SKU: items[i%len(items)].SKU, Qty: 1}}, clk.Now()); err != nil {
			t.Fatal(err)
		}
	}

	stop := a.run()
	defer stop()
	days := 0
	for {
		// The clock stands still within a day, so a round of this day has
		// run once LastAttempt is now.
		testtime.Until(t, "the budget or an empty queue", func() bool {
			st := a.client.Status()
			return st.LastAttempt.Equal(clk.Now()) && (st.Pending == 0 || strings.Contains(st.LastError, uplink.ErrBudget.Error()))
		})
		st := a.client.Status()
		if used := st.BytesSentToday + st.BytesReceivedToday; used > budget {
			t.Errorf("day %d: %d bytes used of %d", days, used, budget)
		}
		if st.Pending == 0 {
			break
		}
		if got := len(c.orders()); got == 0 || got == nOrders {
			t.Errorf("day %d stopped with %d of %d orders on the server", days, got, nOrders)
		}
		days++
		if days > 10 {
			t.Fatal("queue never drained")
		}
		clk.Add(24 * time.Hour)
	}
	if days == 0 {
		t.Error("the budget never stopped a round")
	}
	if got := len(c.orders()); got != nOrders {
		t.Errorf("server has %d orders, want %d", got, nOrders)
	}
}

// asWire is the order as the server should hold it: the compact body the
// agent sends (no line names, history or update time; "placed" left out;
// the time placed in whole seconds).
func asWire(o orders.Order) wire.OrderBody {
	w := wire.OrderBody{ID: o.ID, Shopper: o.Shopper, Subtotal: o.Subtotal, DeliveryFee: o.DeliveryFee, Total: o.Total,
		Mode: o.Mode, Address: o.Address, Payment: o.Payment, Reason: o.Reason,
		CreatedAt: o.CreatedAt.Truncate(time.Second)}
	for _, l := range o.Lines {
		w.Lines = append(w.Lines, wire.OrderLine{SKU: l.SKU, Qty: l.Qty, Price: l.Price})
	}
	return w
}
