package shop

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/phone"
)

// FuzzHandle: whatever a phone sends, Handle does not panic, answers a
// phone number exactly once (or not at all when a sender must not be
// answered), and leaves a cart that decodes.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{
		"", "HI", "2 atta 5kg, 1 oil, sugar 1kg", strings.Repeat("x", 1000), "😀😀😀🙏", "1234567890",
		"9", "0", "नमस्ते २ आटा", "atta आटा ভাত", "\x00\x01\x1b\x7f\r\n", "OP 4321 ORDERS", "OP 1 X",
		"ADDR 12 MG Road", "YES", "CANCEL", "REPEAT", "STOP", "change 1 to 999", "remove 99",
	} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(1))
	}
	h := newHarness(f, testkit.ShopConfig(f, "messages_per_hour = 1000\nreplies_per_day = 1000\n"), testkit.ExampleCatalog(f))
	senders := []string{shopper, operator, "AX-HDFCBK", ownSIM, "+919811119999"}
	f.Fuzz(func(t *testing.T, text string, who uint8) {
		h.t = t
		from := senders[int(who)%len(senders)]
		in := store.Inbound{ID: 1, Channel: store.ChannelSMS, From: from, Text: text}
		var out []store.Outbound
		err := h.db.Update(func(tx *store.Tx) error { return h.shop.Handle(tx, in) })
		if err != nil {
			t.Fatalf("Handle(%q): %v", text, err)
		}
		out = h.drain()
		n := len(replies(out))
		switch {
		case !phone.India.Answerable(from, ownSIM) && len(out) != 0:
			t.Fatalf("answered %s: %q", from, out[0].Text)
		case n > 1:
			t.Fatalf("%d replies to %q", n, text)
		}
		for _, o := range replies(out) {
			if o.Encoding == "gsm7" && o.Segments > 1 || o.Segments > 2 {
				t.Fatalf("reply to %q costs %d %s: %q", text, o.Segments, o.Encoding, o.Text)
			}
		}
		err = h.db.View(func(tx *store.Tx) error {
			b := tx.Bolt().Bucket(bucketCarts)
			if b == nil {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				var c cart
				return json.Unmarshal(v, &c)
			})
		})
		if err != nil {
			t.Fatalf("cart does not decode after %q: %v", text, err)
		}
	})
}
