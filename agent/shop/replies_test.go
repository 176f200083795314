package shop

import (
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/protocol"
)

// one sends text from `from` and returns the one reply to them, failing
// on anything else.
func (h *harness) one(from, text string) store.Outbound {
	h.t.Helper()
	var got []store.Outbound
	for _, o := range h.send(from, text) {
		if o.To == from {
			got = append(got, o)
		}
	}
	if len(got) != 1 {
		h.t.Fatalf("%q: %d replies, want 1: %+v", text, len(got), got)
	}
	return got[0]
}

// A shopper who writes Hindi in Latin letters is answered in Hinglish,
// GSM-7 and one segment as English is, and keeps it; HINDI, HINGLISH and
// ENGLISH switch and are kept.
func TestHinglishShopper(t *testing.T) {
	h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
	const s = "+919811112001"
	w := h.one(s, "namaste bhaiya")
	if w.Encoding != "gsm7" || w.Segments != 1 || !strings.HasPrefix(w.Text, "Sharma Kirana me swagat hai\n1.Atta-Chawal\n2.Dal\n3.Tel-Ghee") {
		t.Errorf("Hinglish welcome, %d %s: %q", w.Segments, w.Encoding, w.Text)
	}
	if p := h.profile(s); p.Lang != protocol.Hinglish {
		t.Errorf("language kept %q, want Hinglish", p.Lang)
	}
	r := h.one(s, "2 tata salt")
	if r.Encoding != "gsm7" || r.Segments != 1 || !strings.HasPrefix(r.Text, "Joda: 2x Tata Salt 1kg. Tokri: 1 saman, Rs56.") {
		t.Errorf("Hinglish order reply, %d %s: %q", r.Segments, r.Encoding, r.Text)
	}
	for _, tc := range []struct {
		say  string
		lang protocol.Lang
		head string
	}{
		{"HINDI", protocol.Hindi, "भाषा: हिंदी"},
		{"HINGLISH", protocol.Hinglish, "Bhasha: Hinglish"},
		{"ENGLISH", protocol.English, "Language: English"},
	} {
		r := h.one(s, tc.say)
		if !strings.HasPrefix(r.Text, tc.head) || h.profile(s).Lang != tc.lang {
			t.Errorf("%s: %q, kept %q", tc.say, r.Text, h.profile(s).Lang)
		}
	}
	// Item names alone ("cheeni") say nothing of the language.
	const e = "+919811112002"
	if r := h.one(e, "cheeni"); !strings.Contains(r.Text, "Send a no. to add") || h.profile(e).Lang.Valid() {
		t.Errorf("an item name switched the language: %q, kept %q", r.Text, h.profile(e).Lang)
	}
}

// Hindi shoppers read Hindi categories (the CSV's category_hi first, the
// usual name otherwise), their own word in a search's header, and a
// choice that asks for the number, whatever the item's gender.
func TestHindiAsWritten(t *testing.T) {
	items := testkit.ExampleCatalog(t)
	for i := range items {
		if items[i].Category == "Dal" {
			items[i].CategoryHi = "दाल-दलहन"
		}
	}
	h := newHarness(t, testkit.ShopConfig(t, ""), items)
	const s = "+919811112003"
	w := h.one(s, "नमस्ते")
	if !strings.Contains(w.Text, "1.आटा-चावल\n2.दाल-दलहन\n3.तेल-घी") {
		t.Errorf("Hindi welcome: %q", w.Text)
	}
	if r := h.one(s, "आटा"); !strings.HasPrefix(r.Text, "आटा:\n") {
		t.Errorf("search header is not the shopper's word: %q", r.Text)
	}
	if r := h.one(s, "1 चीनी"); !strings.Contains(r.Text, "चीनी: कौन सा नंबर?") || strings.Contains(r.Text, "कौन सा चीनी") {
		t.Errorf("choice: %q", r.Text)
	}
}

// A three-line cart shows its total and the next step on its first page.
func TestCartTotalOnFirstPage(t *testing.T) {
	h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
	const s = "+919811112004"
	h.send(s, "1 tata sampann toor dal 1kg, 1 fortune sunflower oil 1l, 1 aashirvaad atta 5kg")
	r := h.one(s, "CART")
	if r.Segments != 1 || !strings.Contains(r.Text, "Total Rs") && !strings.Contains(r.Text, " = Rs") || !strings.Contains(r.Text, "CHECKOUT") {
		t.Errorf("cart's first page, %d segments: %q", r.Segments, r.Text)
	}
	if strings.Contains(r.Text, "1l ") || !strings.Contains(r.Text, "Oil 1 L") {
		t.Errorf("litres: %q", r.Text)
	}
}

// A paused shop, and a closed one that takes orders for later, say so at
// a conversation's first message, not only at checkout; and only once.
func TestClosedOrPausedAtFirstContact(t *testing.T) {
	t.Run("paused", func(t *testing.T) {
		h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
		h.send(operator, "OP 4321 PAUSE")
		const s = "+919811112005"
		r := h.one(s, "2 tata salt")
		if !strings.HasPrefix(r.Text, "We are not taking orders right now; your cart is saved. Added 2x Tata Salt 1kg.") {
			t.Errorf("first reply while paused: %q", r.Text)
		}
		if r := h.one(s, "1 aashirvaad atta 5kg"); strings.Contains(r.Text, "not taking orders") {
			t.Errorf("said twice: %q", r.Text)
		}
		if w := h.one("+919811112006", "hi"); !strings.HasPrefix(w.Text, "Sharma Kirana is not taking orders now. See what we sell:\n1.") {
			t.Errorf("welcome while paused: %q", w.Text)
		}
	})
	t.Run("closed", func(t *testing.T) {
		h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
		h.clock.Add(12 * time.Hour) // 22:00, closed till 8 am
		r := h.one("+919811112007", "2 tata salt")
		if !strings.HasPrefix(r.Text, "We are closed; we open at 8 am and send orders then. Added 2x Tata Salt 1kg.") || r.Segments != 1 {
			t.Errorf("first reply while closed: %q", r.Text)
		}
		if w := h.one("+919811112008", "hi"); !strings.HasPrefix(w.Text, "Sharma Kirana is closed, opens 8 am. Order now for then:\n1.") {
			t.Errorf("welcome while closed: %q", w.Text)
		}
	})
}

// An item sold out is offered with what is nearest in stock, and the
// number adds it.
func TestSoldOutOffersNearest(t *testing.T) {
	h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
	testkit.Update(t, h.db, func(tx *bbolt.Tx) error {
		return catalog.Move(tx, catalog.Movement{SKU: "SALT1", Counted: true, Count: 0, Reason: "set", At: h.clock.Now()})
	})
	const s = "+919811112009"
	r := h.one(s, "2 tata salt")
	if !strings.HasPrefix(r.Text, "Sorry, Tata Salt 1kg is out of stock. In stock:\n1.") || r.Segments != 1 {
		t.Fatalf("sold out: %q", r.Text)
	}
	if r := h.one(s, "1"); !strings.HasPrefix(r.Text, "Added 2x ") {
		t.Errorf("picking the offer: %q", r.Text)
	}
}

// The operator's ORDERS names each order's shopper and address, and a
// new order is sent to the operator at once; notify_operators = false
// sends nothing.
func TestOperatorHearsOfOrders(t *testing.T) {
	for _, on := range []bool{true, false} {
		extra := ""
		if !on {
			extra = "notify_operators = false\n"
		}
		h := newHarness(t, testkit.ShopConfig(t, extra), testkit.ExampleCatalog(t))
		const s = "+919811112010"
		h.send(s, "2 aashirvaad atta 5kg")
		h.send(s, "ADDR 12 MG Road near Hanuman mandir")
		out := h.send(s, "YES")
		var ops []store.Outbound
		for _, o := range out {
			if o.To == operator {
				ops = append(ops, o)
			}
		}
		id := h.placedID(s)
		switch {
		case on && (len(ops) != 1 || !strings.HasPrefix(ops[0].Text, "New order "+id+" Rs570 from "+s+". Deliver to: 12 MG Road near Hanuman mandir. 2x Aashirvaad Atta 5kg")):
			t.Errorf("operator told %+v", ops)
		case !on && len(ops) != 0:
			t.Errorf("notify_operators = false, yet %+v", ops)
		}
		r := h.one(operator, "OP 4321 ORDERS")
		if want := id + " Rs570 " + s + " 12 MG Road near Hanuman mandir"; !strings.Contains(r.Text, want) {
			t.Errorf("ORDERS = %q, want %q", r.Text, want)
		}
	}
}

// placedID is the id of the shopper's newest order.
func (h *harness) placedID(from string) string {
	h.t.Helper()
	o, _ := h.last(from)
	return o.ID
}

// A summary too long for one segment even with names cut short goes over
// two whole, every line shown and YES still said, never cut off.
func TestLongSummaryStaysWhole(t *testing.T) {
	h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
	const s = "+919811112011"
	h.send(s, "1 tata salt, 1 aashirvaad atta 5kg, 1 fortune sunflower oil 1l, 1 tata sampann toor dal 1kg, 1 madhur sugar 1kg, 1 amul pure ghee 1l, 1 parle monaco 200g, 1 til oil 500ml, 1 daawat rozana basmati rice 1kg")
	r := h.one(s, "ADDR 12 MG Road, near Hanuman mandir, behind the big school")
	if r.Segments > 2 || strings.HasSuffix(r.Text, "...") || !strings.Contains(r.Text, "YES to order, NO to change.") {
		t.Errorf("summary, %d segments: %q", r.Segments, r.Text)
	}
}

// The summary before YES names the delivery fee the total holds, in every
// language and within its segment budget, so the total is never a surprise
// after the cart said less.
func TestConfirmNamesTheDeliveryFee(t *testing.T) {
	h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
	for _, tc := range []struct {
		from, lang, order, address, want string
		encoding                         string
		segments                         int
	}{
		{"+919811113001", "ENGLISH", "5 tata salt", "12 MG Road", "Total Rs160, delivery Rs20 to 12 MG Road,", "gsm7", 1},
		{"+919811113002", "HINGLISH", "5 tata salt", "gali 4 ram nagar", "Kul Rs160, Rs20 delivery, gali 4 ram nagar par,", "gsm7", 1},
		// Hindi summaries have a budget of two UCS-2 segments (render.Budget).
		{"+919811113003", "HINDI", "5 tata salt", "12 गांधी नगर", "कुल Rs160, Rs20 डिलीवरी, 12 गांधी नगर पर,", "ucs2", 2},
	} {
		h.one(tc.from, tc.lang)
		h.one(tc.from, tc.order)
		r := h.one(tc.from, tc.address)
		if !strings.Contains(r.Text, tc.want) || r.Segments != tc.segments || r.Encoding != tc.encoding {
			t.Errorf("%s summary, %d %s: %q; want it to say %q in %d %s segment(s)", tc.lang, r.Segments, r.Encoding, r.Text, tc.want, tc.segments, tc.encoding)
		}
	}
	// Over the free-delivery amount, no fee is named.
	const s = "+919811113004"
	h.one(s, "2 aashirvaad atta 5kg")
	if r := h.one(s, "12 MG Road"); strings.Contains(r.Text, "Rs20") || !strings.Contains(r.Text, "delivery to 12 MG Road") {
		t.Errorf("free delivery summary: %q", r.Text)
	}
}
