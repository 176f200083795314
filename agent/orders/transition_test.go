package orders_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/modem/pdu"
	"github.com/tokrihq/tokri/phone"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/sync/outbox"
)

var allStates = []orders.State{orders.Placed, orders.Accepted, orders.Packed, orders.Dispatched, orders.Delivered, orders.Rejected, orders.Cancelled}

// pathTo is how an order placed reaches each state.
var pathTo = map[orders.State][]orders.State{
	orders.Placed:     nil,
	orders.Accepted:   {orders.Accepted},
	orders.Packed:     {orders.Accepted, orders.Packed},
	orders.Dispatched: {orders.Accepted, orders.Packed, orders.Dispatched},
	orders.Delivered:  {orders.Accepted, orders.Packed, orders.Dispatched, orders.Delivered},
	orders.Rejected:   {orders.Rejected},
	orders.Cancelled:  {orders.Cancelled},
}

func TestEveryTransition(t *testing.T) {
	type step struct {
		from, to orders.State
		by       string
	}
	allowed := map[step]bool{
		{orders.Placed, orders.Accepted, orders.ByOperator}:      true,
		{orders.Placed, orders.Rejected, orders.ByOperator}:      true,
		{orders.Placed, orders.Cancelled, orders.ByOperator}:     true,
		{orders.Placed, orders.Cancelled, orders.ByShopper}:      true,
		{orders.Accepted, orders.Packed, orders.ByOperator}:      true,
		{orders.Accepted, orders.Rejected, orders.ByOperator}:    true,
		{orders.Accepted, orders.Cancelled, orders.ByOperator}:   true,
		{orders.Accepted, orders.Cancelled, orders.ByShopper}:    true,
		{orders.Packed, orders.Dispatched, orders.ByOperator}:    true,
		{orders.Dispatched, orders.Delivered, orders.ByOperator}: true,
	}
	db := openDB(t)
	update(t, db, func(tx *store.Tx) error {
		return catalog.Move(tx.Bolt(), catalog.Movement{SKU: "ATTA5", Counted: true, Count: 1000, Reason: "set", At: t0})
	})
	line := []orders.Line{{SKU: "ATTA5", Qty: 1, Price: 28500}}
	for _, from := range allStates {
		for _, to := range allStates {
			for _, by := range []string{orders.ByOperator, orders.ByShopper} {
				s := step{from, to, by}
				t.Run(fmt.Sprintf("%s-%s-by-%s", from, to, by), func(t *testing.T) {
					o := place(t, db, orders.Order{Shopper: asha, Lines: line}, t0)
					for i, st := range pathTo[from] {
						advance(t, db, o.ID, st, "", t0.Add(time.Duration(i+1)*time.Minute))
					}
					before := stock(t, db, "ATTA5")
					err := tryMove(db, o.ID, to, "why", by, t0.Add(time.Hour))
					if got := orders.Allowed(from, to, by); got != allowed[s] {
						t.Errorf("Allowed = %v", got)
					}
					var got orders.Order
					testkit.View(t, db, func(tx *bbolt.Tx) (err error) { got, err = orders.Get(tx, o.ID); return err })
					if !allowed[s] {
						if !errors.Is(err, orders.ErrBadTransition) {
							t.Fatalf("Transition = %v, want ErrBadTransition", err)
						}
						if got.State != from || len(got.History) != len(pathTo[from])+1 || stock(t, db, "ATTA5") != before {
							t.Errorf("refused step changed the order or stock: %+v", got)
						}
						return
					}
					if err != nil {
						t.Fatalf("Transition = %v", err)
					}
					last := got.History[len(got.History)-1]
					if got.State != to || got.Reason != "why" || last != (orders.Change{State: to, At: t0.Add(time.Hour), Reason: "why", By: by}) {
						t.Errorf("after step: %+v", got)
					}
					wantStock := before
					if to == orders.Rejected || to == orders.Cancelled {
						wantStock++
					}
					if n := stock(t, db, "ATTA5"); n != wantStock {
						t.Errorf("stock %d, want %d", n, wantStock)
					}
				})
			}
		}
	}
	drain(t, db)
}

func TestStockReleasedOnce(t *testing.T) {
	for _, end := range []orders.State{orders.Rejected, orders.Cancelled} {
		for _, from := range []orders.State{orders.Placed, orders.Accepted} {
			t.Run(fmt.Sprintf("%s from %s", end, from), func(t *testing.T) {
				db := openDB(t)
				o := place(t, db, basket(asha), t0)
				transition := func(to orders.State) error {
					return tryMove(db, o.ID, to, "", orders.ByOperator, t0.Add(time.Minute))
				}
				for _, st := range pathTo[from] {
					if err := transition(st); err != nil {
						t.Fatal(err)
					}
				}
				if err := transition(end); err != nil {
					t.Fatal(err)
				}
				for _, again := range []orders.State{orders.Rejected, orders.Cancelled, orders.Accepted} {
					if err := transition(again); !errors.Is(err, orders.ErrBadTransition) {
						t.Errorf("%s after %s = %v", again, end, err)
					}
				}
				if a, s := stock(t, db, "ATTA5"), stock(t, db, "SUGAR1"); a != 10 || s != 5 {
					t.Errorf("stock = %d, %d; want 10, 5", a, s)
				}
				testkit.View(t, db, func(tx *bbolt.Tx) error {
					recs, err := outbox.Pending(tx, 0, 0)
					if err != nil {
						return err
					}
					// The movements ride on the order and on its end, not
					// in stock records, and cancel out while pending.
					moves := map[string][]int{}
					for _, r := range recs {
						if r.Kind == outbox.KindStock {
							t.Errorf("stock record %s: an order's movement travels in its own records", r.Key)
						}
						for _, m := range r.Moves {
							moves[m.SKU] = append(moves[m.SKU], m.Delta)
						}
					}
					if diff := cmp.Diff(map[string][]int{"ATTA5": {-2, 2}, "SUGAR1": {-3, 3}}, moves); diff != "" {
						t.Errorf("stock movements (-want +got):\n%s", diff)
					}
					for _, sku := range []string{"ATTA5", "SUGAR1"} {
						if d, err := outbox.LocalStockDelta(tx, sku); d != 0 || err != nil {
							t.Errorf("LocalStockDelta(%s) = %d, %v; want 0", sku, d, err)
						}
					}
					return nil
				})
			})
		}
	}
}

func TestDeliveredKeepsStockTaken(t *testing.T) {
	db := openDB(t)
	o := place(t, db, basket(asha), t0)
	for _, st := range pathTo[orders.Delivered] {
		advance(t, db, o.ID, st, "", t0)
	}
	if a, s := stock(t, db, "ATTA5"), stock(t, db, "SUGAR1"); a != 8 || s != 2 {
		t.Errorf("stock = %d, %d; want 8, 2", a, s)
	}
}

type note struct {
	Text     string
	Segments int
	Encoding string
}

func TestNotifications(t *testing.T) {
	en := map[orders.State]note{
		orders.Accepted:   {"Sharma Kirana accepted order ACD34, total Rs728. It reaches you by 10:30 am.", 1, "gsm7"},
		orders.Packed:     {"Order ACD34: packed.", 1, "gsm7"},
		orders.Dispatched: {"Order ACD34 is out for delivery. Total Rs728.", 1, "gsm7"},
		orders.Delivered:  {"Order ACD34 is delivered. Thank you for shopping at Sharma Kirana!", 1, "gsm7"},
		orders.Rejected:   {"Sorry, Sharma Kirana cannot fill order ACD34: atta is out of stock today", 1, "gsm7"},
		orders.Cancelled:  {"Order ACD34 is cancelled.", 1, "gsm7"},
	}
	hi := map[orders.State]note{
		orders.Accepted:   {"Sharma Kirana: ऑर्डर ACD34 (Rs728) मंज़ूर, सुबह 10:30 बजे तक आएगा।", 1, "ucs2"},
		orders.Packed:     {"ऑर्डर ACD34: पैक", 1, "ucs2"},
		orders.Dispatched: {"ऑर्डर ACD34 रास्ते में है। कुल Rs728।", 1, "ucs2"},
		orders.Delivered:  {"ऑर्डर ACD34 पहुंच गया। Sharma Kirana से खरीदारी के लिए धन्यवाद!", 1, "ucs2"},
		orders.Rejected:   {"माफ़ कीजिए, Sharma Kirana ऑर्डर ACD34 नहीं भेज सकते: atta is out of stock today", 2, "ucs2"},
		orders.Cancelled:  {"ऑर्डर ACD34 रद्द हो गया।", 1, "ucs2"},
	}
	paths := [][]orders.State{pathTo[orders.Delivered], pathTo[orders.Rejected], pathTo[orders.Cancelled],
		{orders.Accepted, orders.Rejected}, {orders.Accepted, orders.Cancelled}}
	for _, lang := range []protocol.Lang{protocol.English, protocol.Hindi, ""} {
		for _, optedOut := range []bool{false, true} {
			for _, path := range paths {
				name := fmt.Sprintf("lang %q opted out %v %v", lang, optedOut, path)
				t.Run(name, func(t *testing.T) {
					want := en
					if lang == protocol.Hindi {
						want = hi
					}
					db := openSharma(t, lang)
					update(t, db, func(tx *store.Tx) error {
						return shoppers.SetOptOut(tx.Bolt(), asha, optedOut)
					})
					o := place(t, db, basket(asha), t0)
					if msgs := drain(t, db); len(msgs) != 0 {
						t.Fatalf("placing queued %v", msgs)
					}
					for _, st := range path {
						reason := ""
						if st == orders.Rejected {
							reason = "atta is out of stock today"
						}
						advance(t, db, o.ID, st, reason, t0)
						// A refused step sends nothing.
						tryMove(db, o.ID, orders.Placed, "", orders.ByOperator, t0)
						msgs := drain(t, db)
						if optedOut {
							if len(msgs) != 0 {
								t.Errorf("%s: %d messages to an opted-out shopper", st, len(msgs))
							}
							continue
						}
						if len(msgs) != 1 {
							t.Fatalf("%s: %d messages, want 1", st, len(msgs))
						}
						m := msgs[0]
						if m.To != asha || m.Priority != store.Notification {
							t.Errorf("%s: to %s, priority %v", st, phone.Mask(m.To), m.Priority)
						}
						got := note{m.Text, m.Segments, m.Encoding}
						if diff := cmp.Diff(want[st], got); diff != "" {
							t.Errorf("%s (-want +got):\n%s", st, diff)
						}
						if n, enc := pdu.Count(m.Text); n != m.Segments || enc != m.Encoding {
							t.Errorf("%s: pdu.Count = %d %s, outbox says %d %s", st, n, enc, m.Segments, m.Encoding)
						}
					}
					testkit.View(t, db, func(tx *bbolt.Tx) error {
						recs, _ := outbox.Pending(tx, 0, 0)
						var keys []string
						for _, r := range recs {
							if r.Kind == outbox.KindOrderState {
								keys = append(keys, r.Key)
							}
						}
						var wantKeys []string
						for _, st := range path {
							wantKeys = append(wantKeys, "order_state:ACD34:"+string(st))
						}
						if diff := cmp.Diff(wantKeys, keys); diff != "" {
							t.Errorf("state sync keys (-want +got):\n%s", diff)
						}
						return nil
					})
				})
			}
		}
	}
}

// openSharma is a store of the shop Sharma Kirana, whose next order is
// ACD34, where asha speaks lang ("" for none said).
func openSharma(t *testing.T, lang protocol.Lang) *store.DB {
	t.Helper()
	db := openDB(t)
	t.Cleanup(orders.SetNewID(ids("ACD34")))
	update(t, db, func(tx *store.Tx) error {
		if err := orders.SetShopName(tx.Bolt(), "Sharma Kirana"); err != nil || lang == "" {
			return err
		}
		return shoppers.Put(tx.Bolt(), shoppers.Profile{Number: asha, Lang: lang})
	})
	return db
}

// TransitionQuiet does all Transition does (state, history, stock, sync
// record) but queue the shopper's SMS, and refuses the same steps.
func TestTransitionQuiet(t *testing.T) {
	for _, path := range [][]orders.State{pathTo[orders.Delivered], pathTo[orders.Cancelled], pathTo[orders.Rejected]} {
		t.Run(fmt.Sprint(path), func(t *testing.T) {
			db := openDB(t)
			update(t, db, func(tx *store.Tx) error {
				return shoppers.Put(tx.Bolt(), shoppers.Profile{Number: asha, Lang: protocol.English})
			})
			o := place(t, db, basket(asha), t0)
			before := stock(t, db, "ATTA5")
			for _, st := range path {
				update(t, db, func(tx *store.Tx) error {
					got, err := orders.TransitionQuiet(tx, o.ID, st, "why", orders.ByOperator, t0)
					if err == nil && got.State != st {
						t.Errorf("state %s, want %s", got.State, st)
					}
					return err
				})
			}
			if msgs := drain(t, db); len(msgs) != 0 {
				t.Errorf("%d messages queued, want none: %v", len(msgs), msgs)
			}
			last := path[len(path)-1]
			wantStock := before
			if last == orders.Cancelled || last == orders.Rejected {
				wantStock += 2
			}
			if got := stock(t, db, "ATTA5"); got != wantStock {
				t.Errorf("ATTA5 stock %d, want %d", got, wantStock)
			}
			testkit.View(t, db, func(tx *bbolt.Tx) error {
				got, err := orders.Get(tx, o.ID)
				if err != nil {
					return err
				}
				if got.State != last || len(got.History) != len(path)+1 {
					t.Errorf("order %s with %d changes, want %s with %d", got.State, len(got.History), last, len(path)+1)
				}
				n := 0
				recs, _ := outbox.Pending(tx, 0, 0)
				for _, r := range recs {
					if r.Kind == outbox.KindOrderState {
						n++
					}
				}
				if n != len(path) {
					t.Errorf("%d state sync records, want %d", n, len(path))
				}
				return nil
			})
			err := db.Update(func(tx *store.Tx) error {
				_, err := orders.TransitionQuiet(tx, o.ID, orders.Accepted, "", orders.ByOperator, t0)
				return err
			})
			if !errors.Is(err, orders.ErrBadTransition) {
				t.Errorf("a step back: %v, want ErrBadTransition", err)
			}
		})
	}
}
