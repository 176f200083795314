package today

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rs/zerolog"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

var ist = time.FixedZone("IST", 5*3600+1800)

// shopDay has three orders today (one delivered, one cancelled, one open)
// and one yesterday.
func shopDay(t *testing.T) (*store.DB, time.Time) {
	t.Helper()
	now := time.Date(2026, 3, 2, 21, 5, 0, 0, ist)
	db := testkit.OpenStore(t, store.Options{Now: func() time.Time { return now }, Location: ist})
	testkit.ImportShop(t, db, "Sharma Kirana", testkit.ExampleCatalog(t))
	place := func(at time.Time, sku string, qty int, price int64) string {
		var id string
		err := db.Update(func(tx *store.Tx) error {
			o, err := orders.Place(tx, orders.Order{Shopper: "+919811110001", Mode: orders.ModePickup, Payment: orders.PayCOD,
				Lines: []orders.Line{{SKU: sku, Name: sku, Qty: qty, Price: price}}, Subtotal: int64(qty) * price, Total: int64(qty) * price}, at)
			id = o.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	move := func(id string, to ...orders.State) {
		for _, st := range to {
			err := db.Update(func(tx *store.Tx) error {
				_, err := orders.Transition(tx, id, st, "", orders.ByOperator, now)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	place(time.Date(2026, 3, 1, 20, 0, 0, 0, ist), "ATTA5", 9, 28500) // yesterday
	d := place(time.Date(2026, 3, 2, 9, 0, 0, 0, ist), "ATTA5", 2, 28500)
	move(d, orders.Accepted, orders.Packed, orders.Dispatched, orders.Delivered)
	c := place(time.Date(2026, 3, 2, 10, 0, 0, 0, ist), "SALT1", 5, 2800)
	move(c, orders.Cancelled)
	place(time.Date(2026, 3, 2, 20, 0, 0, 0, ist), "SALT1", 1, 2800)
	return db, now
}

func TestSummaryCountsTheShopsDay(t *testing.T) {
	testtime.NoLeaks(t)
	db, now := shopDay(t)
	s, err := Of(db, now, ist)
	if err != nil {
		t.Fatal(err)
	}
	if s.Day != "2026-03-02" || s.Orders != 3 || s.Delivered != 1 || s.Cancelled != 1 || s.Open != 1 {
		t.Fatalf("summary = %+v", s)
	}
	if s.Revenue != 2*28500+2800 {
		t.Errorf("revenue = %d, want the delivered and the open order's totals", s.Revenue)
	}
	if len(s.Top) != 2 || s.Top[0].SKU != "ATTA5" || s.Top[0].Qty != 2 || s.Top[1].Qty != 1 {
		t.Errorf("top = %+v; the cancelled order's units count for nothing", s.Top)
	}
	r := Text("Sharma Kirana", s)
	want := "Sharma Kirana 02 Mar: 3 orders, Rs598. Delivered 1, open 1, cancelled 1. SMS 0.0 per order (0 sent). Top: ATTA5 x2, SALT1 x1."
	if r.Text != want || r.Segments != 1 || r.Encoding != "gsm7" {
		t.Errorf("text = %q (%d segments, %s), want %q in 1 GSM-7 segment", r.Text, r.Segments, r.Encoding, want)
	}
}

func TestSummaryTextStaysWithinTwoSegments(t *testing.T) {
	testtime.NoLeaks(t)
	s := Summary{Day: "2026-03-02", Orders: 120, Revenue: 12345600, Segments: 480, SMSPerOrder: 4}
	for i := range TopN {
		s.Top = append(s.Top, Item{SKU: "X", Name: strings.Repeat("Very long product name ", 3), Unit: "500 g", Qty: 10 - i})
	}
	r := Text("Sharma Kirana General Store", s)
	if r.Segments > 2 || !strings.HasPrefix(r.Text, "Sharma Kirana General Store 02 Mar: 120 orders, Rs123456.") {
		t.Fatalf("text = %q in %d segments", r.Text, r.Segments)
	}
}

func TestSummaryGoesOnceAtItsTime(t *testing.T) {
	testtime.NoLeaks(t)
	db, now := shopDay(t)
	s := &Sender{DB: db, Loc: ist, At: 21 * 60, To: testkit.Operator, Log: zerolog.Nop()}
	if sent, err := s.SendIfDue(now.Add(-10 * time.Minute)); err != nil || sent {
		t.Fatalf("at 20:55 sent = %v, %v; want nothing before 21:00", sent, err)
	}
	if sent, err := s.SendIfDue(now); err != nil || !sent {
		t.Fatalf("at 21:05 sent = %v, %v", sent, err)
	}
	if sent, err := s.SendIfDue(now.Add(time.Hour)); err != nil || sent {
		t.Fatalf("a second time the same day: sent = %v, %v", sent, err)
	}
	msgs, err := db.Conversation(testkit.Operator, 10)
	if err != nil || len(msgs) != 1 || msgs[0].State != store.MsgQueued || !strings.HasPrefix(msgs[0].Text, "Sharma Kirana 02 Mar: 3 orders") {
		t.Fatalf("the operator's messages = %+v, %v; want one summary queued", msgs, err)
	}
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		if !Sent(tx, "2026-03-02") || Sent(tx, "2026-03-03") {
			t.Error("Sent does not say which day went")
		}
		return nil
	})
}

// A shop that closes at midnight hears about the day it just finished, and
// an agent started hours after the summary's time sends none (it would sum
// up a day just begun, as the demo's first SMS once did).
func TestSummaryAtMidnightCoversTheDayBefore(t *testing.T) {
	testtime.NoLeaks(t)
	db, now := shopDay(t)
	s := &Sender{DB: db, Loc: ist, At: 0, To: testkit.Operator, Log: zerolog.Nop()}
	morning := time.Date(2026, 3, 2, 8, 0, 0, 0, ist)
	if sent, err := s.SendIfDue(morning); err != nil || sent {
		t.Fatalf("started at 08:00 with the summary due at midnight: sent = %v, %v; want nothing", sent, err)
	}
	if sent, err := s.SendIfDue(now); err != nil || sent {
		t.Fatalf("at 21:05: sent = %v, %v; want nothing before midnight", sent, err)
	}
	if sent, err := s.SendIfDue(time.Date(2026, 3, 3, 0, 5, 0, 0, ist)); err != nil || !sent {
		t.Fatalf("at 00:05: sent = %v, %v", sent, err)
	}
	msgs, err := db.Conversation(testkit.Operator, 10)
	if err != nil || len(msgs) != 1 || !strings.HasPrefix(msgs[0].Text, "Sharma Kirana 02 Mar: 3 orders") {
		t.Fatalf("the operator's messages = %+v, %v; want the summary of 2 March", msgs, err)
	}
}

// Run looks once a minute: started at 20:55 it queues the summary on the
// 21:00 look and never again that day. Time is the bubble's.
func TestRunQueuesTheSummaryOnceAtItsTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db, now := shopDay(t)
		offset := time.Until(now.Add(-10 * time.Minute)) // the bubble starts at 20:55
		s := &Sender{DB: db, Loc: ist, At: 21 * 60, To: testkit.Operator, Log: zerolog.Nop(),
			Now: func() time.Time { return time.Now().Add(offset) }}
		queued := func() int {
			msgs, err := db.Conversation(testkit.Operator, 10)
			if err != nil {
				t.Fatal(err)
			}
			return len(msgs)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		testtime.Advance(4 * time.Minute)
		if n := queued(); n != 0 {
			t.Fatalf("at 20:59 %d messages queued, want none before 21:00", n)
		}
		testtime.Advance(time.Minute)
		if n := queued(); n != 1 {
			t.Fatalf("at 21:00 %d messages queued, want the summary", n)
		}
		testtime.Advance(2 * time.Hour)
		if n := queued(); n != 1 {
			t.Fatalf("at 23:00 %d messages queued, want the one summary", n)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	})
}
