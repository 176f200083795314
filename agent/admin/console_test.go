package admin

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit/seed"
	"github.com/tokrihq/tokri/protocol"
)

func TestPreviewIsTheNotificationActSends(t *testing.T) {
	dir, db := seed.Data(t)
	first, _ := seed.Shop(t, db)
	c := dialAgent(t, dir, db)
	ctx := context.Background()

	p, err := c.Preview(ctx, first, Accept, "")
	if err != nil {
		t.Fatal(err)
	}
	if p.State != orders.Accepted || p.Lang != protocol.Hindi || p.Text == "" || p.Segments < 1 || p.Encoding != "ucs2" {
		t.Fatalf("preview = %+v, want a Hindi UCS-2 accepted notice", p)
	}
	if !strings.Contains(p.Text, first) {
		t.Errorf("preview %q does not name order %s", p.Text, first)
	}
	// Previewing changed nothing.
	if o, _ := c.Order(ctx, first); o.State != orders.Placed {
		t.Fatalf("order is %s after a preview", o.State)
	}
	if _, err := c.Act(ctx, first, Accept, ""); err != nil {
		t.Fatal(err)
	}
	next, err := db.NextOutbound(seed.Now, 0)
	if err != nil || !next.OK || next.Out.Text != p.Text {
		t.Fatalf("queued %+v (%v), preview said %q", next, err, p.Text)
	}

	// A reason shows in a rejection's preview; a step the state does not
	// allow is the conflict act would answer.
	r, err := c.Preview(ctx, first, Reject, "दुकान बंद")
	if err != nil || !strings.Contains(r.Text, "दुकान बंद") {
		t.Fatalf("reject preview = %+v, %v", r, err)
	}
	var e *Error
	if _, err := c.Preview(ctx, first, Deliver, ""); !errors.As(err, &e) || e.Code != CodeConflict {
		t.Fatalf("deliver an accepted order: %v, want a conflict", err)
	}
	if _, err := c.Preview(ctx, "NOSUCH", Accept, ""); !errors.As(err, &e) || e.Code != CodeNotFound {
		t.Fatalf("unknown order: %v, want not found", err)
	}
}

func TestPreviewOfOptedOutShopperSendsNothing(t *testing.T) {
	dir, db := seed.Data(t)
	first, _ := seed.Shop(t, db)
	db.Update(func(tx *store.Tx) error { return shoppers.SetOptOut(tx.Bolt(), seed.ShopperA, true) })
	c := dialAgent(t, dir, db)
	p, err := c.Preview(context.Background(), first, Accept, "")
	if err != nil {
		t.Fatal(err)
	}
	if !p.OptedOut || p.Text != "" || p.Segments != 0 {
		t.Fatalf("preview = %+v, want opted out with no SMS", p)
	}
}

func TestWatchAnswersWhenTheStoreChanges(t *testing.T) {
	c, first, _ := seededAgent(t)
	ctx := context.Background()

	now, err := c.Watch(ctx, 0, 0)
	if err != nil || now.Tx == 0 {
		t.Fatalf("watch = %+v, %v", now, err)
	}
	// Nothing changes: a zero wait answers at once with the same number.
	same, err := c.Watch(ctx, now.Tx, 0)
	if err != nil || same.Tx != now.Tx {
		t.Fatalf("unchanged watch = %+v, %v; want %d", same, err, now.Tx)
	}
	got := make(chan Change, 1)
	go func() {
		ch, _ := c.Watch(ctx, now.Tx, 25*time.Second)
		got <- ch
	}()
	if _, err := c.Act(ctx, first, Accept, ""); err != nil {
		t.Fatal(err)
	}
	select {
	case ch := <-got:
		if ch.Tx <= now.Tx {
			t.Fatalf("watch after a change = %d, want past %d", ch.Tx, now.Tx)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("watch did not answer after the store changed")
	}
	var e *Error
	if err := c.do(ctx, "GET", "/v1/watch?since=x", nil, "", new(Change)); !errors.As(err, &e) || e.Field != "since" {
		t.Fatalf("bad since: %v", err)
	}
}

func TestPauseIsTheShopsSwitch(t *testing.T) {
	dir, db := seed.Data(t)
	c := dialAgent(t, dir, db)
	ctx := context.Background()
	st, err := c.SetPaused(ctx, true)
	if err != nil || !st.Paused {
		t.Fatalf("pause = %+v, %v", st, err)
	}
	s, err := c.Status(ctx)
	if err != nil || !s.Shop.Paused {
		t.Fatalf("status after pause = %+v, %v", s.Shop, err)
	}
	if st, err = c.SetPaused(ctx, false); err != nil || st.Paused {
		t.Fatalf("resume = %+v, %v", st, err)
	}
	var e *Error
	if err := c.do(ctx, "PUT", "/v1/shop/paused", strings.NewReader(`{}`), "application/json", new(ShopState)); !errors.As(err, &e) || e.Field != "paused" {
		t.Fatalf("empty pause request: %v", err)
	}
}

func TestMessagesConversationFailedAndRetry(t *testing.T) {
	dir, db := seed.Data(t)
	first, _ := seed.Shop(t, db)
	c := dialAgent(t, dir, db)
	ctx := context.Background()
	if _, err := c.Act(ctx, first, Accept, ""); err != nil {
		t.Fatal(err)
	}
	conv, err := c.Conversation(ctx, seed.ShopperA, 0)
	if err != nil || len(conv) != 1 || conv[0].State != store.MsgQueued || !strings.Contains(conv[0].Text, first) {
		t.Fatalf("conversation = %+v, %v; want the queued notice", conv, err)
	}
	if other, _ := c.Conversation(ctx, seed.ShopperB, 0); len(other) != 0 {
		t.Fatalf("the other shopper's conversation = %+v", other)
	}
	if err := db.MarkFailed(conv[0].ID, "+CMS ERROR: 500"); err != nil {
		t.Fatal(err)
	}
	failed, err := c.FailedSends(ctx)
	if err != nil || len(failed) != 1 || failed[0].ID != conv[0].ID || failed[0].Error == "" {
		t.Fatalf("failed = %+v, %v", failed, err)
	}
	res, err := c.Retry(ctx, failed[0].ID)
	if err != nil || res.ID == failed[0].ID {
		t.Fatalf("retry = %+v, %v", res, err)
	}
	conv, _ = c.Conversation(ctx, seed.ShopperA, 0)
	if len(conv) != 2 || conv[0].State != store.MsgFailed || conv[1].State != store.MsgQueued {
		t.Fatalf("after retry the conversation = %+v", conv)
	}
	var e *Error
	if _, err := c.Retry(ctx, res.ID); !errors.As(err, &e) || e.Code != CodeNotFound {
		t.Fatalf("retry a queued message: %v, want not found among sent", err)
	}
	if u, err := c.Unreadable(ctx); err != nil || len(u) != 0 {
		t.Fatalf("unreadable = %+v, %v", u, err)
	}
}

func TestTodaySumsUpTheDayAndItsSMS(t *testing.T) {
	dir, db := seed.Data(t)
	seed.Shop(t, db)
	c := Dial(startAgentWith(t, dir, Options{DB: db, Status: agentStatus, Log: testLog(t), Now: seed.Clock,
		SummaryAt: "21:00", SummaryTo: "+919800000009"}))
	defer c.Close()
	td, err := c.Today(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if td.Day != "2026-05-01" || td.Orders != 2 || td.Revenue != 3*26500 || len(td.Top) != 1 || td.Top[0].Qty != 3 {
		t.Fatalf("today = %+v", td.Summary)
	}
	if !strings.Contains(td.SMS, ": 2 orders, Rs795.") || td.SMSSegments != 1 || td.At != "21:00" || td.To != "+********0009" || td.Sent {
		t.Fatalf("today's SMS = %+v", td)
	}
}

func TestWithdrawAndOfferAnItem(t *testing.T) {
	c, _, _ := seededAgent(t)
	ctx := context.Background()
	it, err := c.SetActive(ctx, "DAL1", false)
	if err != nil || it.Active || it.Stock != 30 {
		t.Fatalf("withdraw = %+v, %v; want inactive with its stock kept", it, err)
	}
	found, _ := c.FindItems(ctx, "toor dal")
	for _, f := range found {
		if f.SKU == "DAL1" {
			t.Fatal("a shopper's search still finds a withdrawn item")
		}
	}
	if it, err = c.SetActive(ctx, "DAL1", true); err != nil || !it.Active {
		t.Fatalf("offer again = %+v, %v", it, err)
	}
	var e *Error
	if _, err := c.SetActive(ctx, "NOPE", false); !errors.As(err, &e) || e.Code != CodeNotFound {
		t.Fatalf("unknown SKU: %v", err)
	}
}

// An unreadable message the operator has dealt with can be dismissed;
// one that is not there is a clear not-found, and a bad id says so.
func TestDismissUnreadable(t *testing.T) {
	dir, db := seed.Data(t)
	res, err := db.Intake([]byte("not a pdu"), seed.Now)
	if err != nil || res.Outcome != store.OutcomeUndecodable {
		t.Fatalf("intake = %+v, %v", res, err)
	}
	c := dialAgent(t, dir, db)
	ctx := context.Background()
	u, err := c.Unreadable(ctx)
	if err != nil || len(u) != 1 {
		t.Fatalf("unreadable = %+v, %v", u, err)
	}
	d, err := c.DismissUnreadable(ctx, u[0].ID)
	if err != nil || d.ID != u[0].ID {
		t.Fatalf("dismiss = %+v, %v", d, err)
	}
	if u, err := c.Unreadable(ctx); err != nil || len(u) != 0 {
		t.Fatalf("after dismiss, unreadable = %+v, %v", u, err)
	}
	var e *Error
	if _, err := c.DismissUnreadable(ctx, u[0].ID); !errors.As(err, &e) || e.Code != CodeNotFound {
		t.Fatalf("dismiss again: %v, want not found", err)
	}
	if err := c.do(ctx, "DELETE", "/v1/messages/undecodable/x", nil, "", new(Dismissed)); !errors.As(err, &e) || e.Field != "id" {
		t.Fatalf("bad id: %v", err)
	}
	if again, _ := db.Intake([]byte("not a pdu"), seed.Now.Add(time.Minute)); !again.Duplicate {
		t.Fatalf("dismissed message read again: %+v, want a duplicate", again)
	}
}
