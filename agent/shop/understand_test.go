package shop

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/internal/testkit"
)

// lastOrder is the shopper's newest order, as "mode address | SKU n, ...",
// or "" when there is none or it was cancelled.
func (h *harness) lastOrder(from string) string {
	h.t.Helper()
	o, ok := h.last(from)
	if !ok || o.State == orders.Cancelled {
		return ""
	}
	var ls []string
	for _, l := range o.Lines {
		ls = append(ls, fmt.Sprintf("%s %d", l.SKU, l.Qty))
	}
	sort.Strings(ls)
	return strings.TrimSpace(o.Mode+" "+o.Address) + " | " + strings.Join(ls, ", ")
}

// Each problem issue 8 lists, as a shopper met it: what they sent and the
// order that must (or must not) come of it.
func TestShoppersUnderstood(t *testing.T) {
	tests := []struct {
		name string
		msgs []string
		want string // the order placed; "" for none
	}{
		{"hindi address at confirm is not makhan", []string{"1 tata salt, 2 aashirvaad atta 5kg", "ADDR 4 MG Road", "मकान 12, गांधी नगर, मस्जिद के पीछे", "हां"},
			"delivery मकान 12, गांधी नगर, मस्जिद के पीछे | ATTA5 2, SALT1 1"},
		{"haan with chandrabindu is yes", []string{"1 tata salt", "PICKUP", "हाँ"}, "pickup | SALT1 1"},
		{"free text address after the prompt", []string{"2 kg sugar", "house 5, gali 3, near shiv mandir", "yes"}, "delivery house 5, gali 3, near shiv mandir | SUGAR1 2"},
		{"chini 2kg is two 1 kg packs", []string{"chini 2kg", "PICKUP", "yes"}, "pickup | SUGAR1 2"},
		{"5 kilo chawal loose", []string{"5 kilo khula chawal", "PICKUP", "yes"}, "pickup | RICE1 5"},
		{"devanagari weight", []string{"2 किलो चीनी", "PICKUP", "हाँ"}, "pickup | SUGAR1 2"},
		{"pending choice survives the next item", []string{"5 kg atta", "1 tata salt", "aashirvaad", "PICKUP", "yes"}, "pickup | ATTA5 1, SALT1 1"},
		{"6 ande in a long message", []string{"2 kg chini, 6 ande, 1 amul makhan", "PICKUP", "yes"}, "pickup | BUTTER100 1, EGGS6 1, SUGAR1 2"},
		{"exact synonym beats a partial match", []string{"2 lal mirch", "PICKUP", "yes"}, "pickup | MIRCH100 2"},
		{"bhaiya jaldi is not turmeric", []string{"1 kg gud", "PICKUP", "bhaiya jaldi bhejna", "haan"}, "pickup | GUD1 1"},
		{"nahi rehne do adds no curd", []string{"1 kg gud", "nahi, rehne do", "PICKUP", "yes"}, ""},
		{"ek dozen ande is one tray of 12", []string{"ek dozen ande", "PICKUP", "yes"}, "pickup | EGGS12 1"},
		{"ek packet chai asks which", []string{"एक पैकेट चाय", "टाटा वाली", "PICKUP", "हाँ"}, "pickup | TEA250 1"},
		{"5 kilo wala resolves the choice", []string{"aashirvaad atta", "theek hai, 5 kilo wala bhej do", "PICKUP", "yes"}, "pickup | ATTA5 1"},
		{"a cancel sentence at the address prompt is no address", []string{"1 kg moong dal", "yes", "please cancel the order, ordered by mistake", "yes"}, ""},
		{"pickup in words", []string{"1 kg gud", "dukan se le lunga", "haan"}, "pickup | GUD1 1"},
		{"address inside the order", []string{"2 kg chini aur 1 ghadi surf, ghar 56 indira colony", "haan"}, "delivery ghar 56 indira colony | GHADI1 1, SUGAR1 2"},
		{"order cancel kar do cancels after asking", []string{"1 kg gud", "PICKUP", "yes", "order cancel kar do", "haan"}, ""},
		{"cancel on repeat's confirm keeps the placed order", []string{"1 kg gud", "PICKUP", "yes", "repeat", "cancel"}, "pickup | GUD1 1"},
		{"nahi 3 chahiye corrects the quantity", []string{"2 lux sabun", "nahi 3 chahiye", "PICKUP", "yes"}, "pickup | LUX100 3"},
		{"a name split at its plus is one item", []string{"1 clinic plus pouch", "house 9 station road", "yes"}, "delivery house 9 station road | SACHET16 1"},
		{"a hyphenated ji is part of the name", []string{"३ पारले-जी बिस्कुट", "PICKUP", "हाँ"}, "pickup | PARLEG250 3"},
		{"a ji inside a name is part of it", []string{"३ पारले जी बिस्कुट", "PICKUP", "हाँ"}, "pickup | PARLEG250 3"},
		{"an address on a road while a choice waits", []string{"1 shampoo", "12 nai sadak", "1", "yes"}, "delivery 12 nai sadak | CLINIC175 1"},
		{"a weight no pack divides asks, never the largest pack", []string{"1.5 kg chini", "1", "PICKUP", "yes"}, "pickup | SUGAR1 1"},
		{"half a kilo asks too", []string{"आधा किलो चीनी", "1", "PICKUP", "हाँ"}, "pickup | SUGAR1 1"},
		{"an address sent first is kept for the order", []string{"flat 302 b wing sai society", "2 kg chini", "yes"}, "delivery flat 302 b wing sai society | SUGAR1 2"},
		{"an abbreviated house number sent first", []string{"म.न. 12 शिव नगर", "दो किलो चीनी", "हाँ"}, "delivery म.न. 12 शिव नगर | SUGAR1 2"},
		{"deliver to an address, then the items", []string{"deliver to house 5 gandhi nagar", "1 tata salt", "yes"}, "delivery house 5 gandhi nagar | SALT1 1"},
		{"the dot of no. ends no sentence", []string{"2 kg chini, h.no. 12 gandhi nagar", "yes"}, "delivery h.no. 12 gandhi nagar | SUGAR1 2"},
		{"items and address with no comma", []string{"deliver 2 kg sugar to house 5 gandhi nagar", "yes"}, "delivery house 5 gandhi nagar | SUGAR1 2"},
		{"teen kilo is three kilos", []string{"teen kilo aata", "PICKUP", "yes"}, "pickup | LATTA1 3"},
		{"namak nahi chahiye takes the salt out", []string{"2 kg chini, 1 tata salt", "namak nahi chahiye", "PICKUP", "yes"}, "pickup | SUGAR1 2"},
		{"sirf 1 kg sets the last line's amount", []string{"2 kg chini", "sirf 1 kg", "PICKUP", "yes"}, "pickup | SUGAR1 1"},
		{"total kitna hua at the address prompt is no address", []string{"2 kg chini", "total kitna hua", "yes"}, ""},
		{"the pack named by its price", []string{"14 wala maggi", "PICKUP", "yes"}, "pickup | MAGGI70 1"},
		{"two of the pack named by its price", []string{"2 rs 56 wali maggi", "PICKUP", "yes"}, "pickup | MAGGI280 2"},
		{"a weight is not made of many small packs without asking", []string{"aloo 2 kg", "1", "PICKUP", "yes"}, "pickup | BHUJIA200 1"},
		{"a choice answered by its place", []string{"1 namak", "dusra wala", "PICKUP", "yes"}, "pickup | SENDHA1 1"},
		{"a choice answered in Hindi by its place", []string{"1 namak", "दूसरा", "PICKUP", "हाँ"}, "pickup | SENDHA1 1"},
		{"a choice answered by the pack's size", []string{"1 maggi", "bada wala", "PICKUP", "yes"}, "pickup | MAGGI280 1"},
		{"a choice answered by the cheaper one", []string{"1 namak", "sasta wala", "PICKUP", "yes"}, "pickup | SALT1 1"},
		{"a choice answered by the price", []string{"1 maggi", "14 wala", "PICKUP", "yes"}, "pickup | MAGGI70 1"},
		{"a choice answered by the exact name", []string{"1 namak", "tata salt", "PICKUP", "yes"}, "pickup | SALT1 1"},
		{"a staple by the kilo is as many kilo packs as asked", []string{"8 kilo khula chawal", "PICKUP", "yes"}, "pickup | RICE1 8"},
		{"send words after the address are not the address", []string{"2 kg chini", "ghar 5 shanti nagar pe bhej do", "yes"}, "delivery ghar 5 shanti nagar | SUGAR1 2"},
		{"a question at the address prompt is no address", []string{"2 kg chini", "delivery kab tak hogi?", "yes"}, ""},
		{"two items joined by aur stay two", []string{"1 shampoo aur namak", "1", "1", "PICKUP", "yes"}, "pickup | CLINIC175 1, SALT1 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testkit.ShopConfig(t, "")
			cfg.MinOrder.Paise = 0 // what is tested is understanding, not the minimum
			h := newHarness(t, cfg, testkit.ExampleCatalog(t))
			var said []string
			for _, m := range tc.msgs {
				for _, o := range h.send(shopper, m) {
					said = append(said, "> "+m+"\n< "+o.Text)
				}
			}
			if got := h.lastOrder(shopper); got != tc.want {
				t.Errorf("order %q, want %q\n%s", got, tc.want, strings.Join(said, "\n"))
			}
		})
	}
}

// After STOP nothing goes to the number until START: not the menu, not a
// notification; the STOP reply names the open order.
func TestStopMeansIt(t *testing.T) {
	h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
	id := h.placeOrder(shopper)
	out := h.send(shopper, "STOP")
	if len(out) != 1 || !strings.Contains(out[0].Text, id) || !strings.Contains(out[0].Text, "START") {
		t.Fatalf("STOP answered %+v, want the open order named", out)
	}
	for _, m := range []string{"hi", "MENU", "status"} {
		if out := h.send(shopper, m); len(out) != 0 {
			t.Errorf("opted out, %q got %+v", m, out)
		}
	}
	if out := to(h.send(operator, "OP 4321 ACCEPT "+id), shopper); len(out) != 0 {
		t.Errorf("opted out, the order's acceptance sent %+v", out)
	}
	if out := h.send(shopper, "START"); len(out) != 1 {
		t.Errorf("START answered %+v", out)
	}
}
