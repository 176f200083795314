package command

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tokrihq/tokri/protocol/size"
)

// What shoppers write instead of the keywords the shop offers them.
func TestParseAsPeopleWrite(t *testing.T) {
	tests := []struct {
		in   string
		want Command
	}{
		// Pickup in words.
		{"dukan se le lunga", Fulfil{Mode: Pickup}},
		{"i will pick up from shop", Fulfil{Mode: Pickup}},
		{"khud aakar le jaunga", Fulfil{Mode: Pickup}},
		{"दुकान से ले लूंगा", Fulfil{Mode: Pickup}},
		// A correction of the last line.
		{"nahi 3 chahiye", SetQty{N: 0, Qty: 3}},
		{"no make it 2", SetQty{N: 0, Qty: 2}},
		{"नहीं ३ चाहिए", SetQty{N: 0, Qty: 3}},
		// A cancel or repeat said as a sentence.
		{"order cancel kar do", Cancel{}},
		{"please cancel the order, ordered by mistake", Cancel{}},
		{"cancel karna hai", Cancel{}}, // "karna" is no order id
		{"pichla order phir se bhej do", Repeat{}},
		// Short questions and answers in the shopper's words.
		{"total kitna hua", Cart{}},
		{"bill kitna", Cart{}},
		{"ghar pe bhej do", Fulfil{Mode: Delivery}},
		{"upi se dunga", Pay{Method: UPI}},
		{"list bhejo", Menu{}},
		{"koi nahi", No{}},
		{"कोई नहीं", No{}},
		{"मेरा ऑर्डर कहाँ है", Status{}},
		// A price asked with an amount is a search, not an order.
		{"1 kg chini kitne ki hai", Search{Words: "chini"}},
		// The pack named by its price.
		{"10 wala parle g", Order{Lines: []Line{{Words: "parle g", Price: 10}}}},
		{"2 rs 25 wala parle g", Order{Lines: []Line{{Qty: 2, Words: "parle g", Price: 25}}}},
		{"2 maggi 14 wala", Order{Lines: []Line{{Qty: 2, Words: "maggi", Price: 14}}}},
		{"5 kilo wala atta", Order{Lines: []Line{{Words: "atta", Size: size.Size{Amount: 5000, Unit: size.Gram}}}}},
		// A unit written with a dot inside.
		{"1 कि.ग्रा. चीनी", Order{Lines: []Line{{Words: "cheeni", Size: size.Size{Amount: 1000, Unit: size.Gram}}}}},
		// What is not wanted, and a new amount for the last line.
		{"namak nahi chahiye", Remove{Words: "namak"}},
		{"mujhe oil mat bhejna", Remove{Words: "oil"}},
		{"sirf 1 kg", SetQty{Size: size.Size{Amount: 1000, Unit: size.Gram}}},
		{"nahi 2 litre chahiye", SetQty{Size: size.Size{Amount: 2000, Unit: size.Millilitre}}},
		// "ji" written into a name is the name, not respect.
		{"३ पारले-जी बिस्कुट", Order{Lines: []Line{{Qty: 3, Words: "paarle jee biskut"}}}},
		{"2 atta ji", Order{Lines: []Line{{Qty: 2, Words: "atta"}}}},
		{"3 parle ji biscuit", Order{Lines: []Line{{Qty: 3, Words: "parle ji biscuit"}}}},
		{"bhaiya ji 2 kg chini", Order{Lines: []Line{{Words: "chini", Size: size.Size{Amount: 2000, Unit: size.Gram}}}}},
		// YES with respect.
		{"ok ji", Yes{}},
		{"ha ji", Yes{}},
		{"हाँ", Yes{}},
		{"हां", Yes{}},
		{"theek hai", Yes{}},
		// Leaving it.
		{"nahi, rehne do", Clear{}},
		// Chat is no item.
		{"bhaiya jaldi bhejna", Unknown{Text: "bhaiya jaldi bhejna"}},
		// "do u" is English.
		{"do u have kurkure", Search{Words: "kurkure"}},
		// Dozens and Hindi numbers.
		// (the shop makes 12 pieces one tray of 12, not 12 trays)
		{"ek dozen ande", Order{Lines: []Line{{Qty: 12, Words: "ande"}}}},
		{"एक पैकेट चाय", Order{Lines: []Line{{Qty: 1, Words: "chaay"}}}},
		// An address after the items.
		{"2 kg chini aur 1 ghadi surf, ghar 56 indira colony gate no 2",
			Order{Lines: []Line{{Words: "chini", Size: kg(2)}, {Qty: 1, Words: "ghadi surf"}}, Address: "ghar 56 indira colony gate no 2"}},
		{"5 parle g, 1 surf excel 1kg. deliver to 17 rajiv nagar behind school",
			Order{Lines: []Line{{Qty: 5, Words: "parle g"}, {Qty: 1, Words: "surf excel", Size: kg(1)}}, Address: "17 rajiv nagar behind school"}},
		{"२ किलो चीनी, १ सर्फ एक्सेल, पता: १५ अशोक विहार",
			Order{Lines: []Line{{Words: "cheeni", Size: kg(2)}, {Qty: 1, Words: "sarph eksel"}}, Address: "१५ अशोक विहार"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, Parse(tc.in)); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestLooksLikeAddress(t *testing.T) {
	for in, want := range map[string]bool{
		"मकान 12, गांधी नगर, मस्जिद के पीछे": true,
		"45 shiv colony near hanuman mandir": true,
		"room 5 boys hostel":                 true,
		"12 nai sadak":                       true,
		"४ रामपुर गांव":                      true,
		"2 kg chini":                         false,
		"12 butter":                          false,
		"gandhi nagar":                       false, // no number: could be anything
	} {
		if got := LooksLikeAddress(in); got != want {
			t.Errorf("LooksLikeAddress(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestOpensWithAddress(t *testing.T) {
	for in, want := range map[string]bool{
		"flat 302 b wing sai society":     true,
		"H.No. 12/3 gandhi nagar":         true,
		"house no 45-b, shanti colony":    true,
		"deliver to house 5 gandhi nagar": true,
		"मकान 12, गांधी नगर":              true,
		"म.न. 12 शिव नगर":                 true,
		"room freshener 2":                false, // the number is not the room's
		"deliver 2 kg sugar":              false,
		"2 kg chini":                      false,
		"ghar":                            false,
	} {
		if got := OpensWithAddress(in); got != want {
			t.Errorf("OpensWithAddress(%q) = %v, want %v", in, got, want)
		}
	}
	if got := AddressOf("deliver to house 5 gandhi nagar."); got != "house 5 gandhi nagar" {
		t.Errorf("AddressOf = %q", got)
	}
}

func TestAsksSomething(t *testing.T) {
	for in, want := range map[string]bool{
		"kul kitna hua?":          true,
		"delivery kab tak hogi":   true,
		"क्या है":                 true,
		"12 MG Road":              false,
		"near shiv mandir":        false,
		"house kya hai, 12 gali?": false, // a number: it may be the address
	} {
		if got := AsksSomething(in); got != want {
			t.Errorf("AsksSomething(%q) = %v, want %v", in, got, want)
		}
	}
}

// An address after the items needs no comma before it.
func TestAddressAfterItemsWithoutComma(t *testing.T) {
	for in, want := range map[string][2]string{
		"deliver 2 kg sugar to house 5 gandhi nagar": {"sugar", "house 5 gandhi nagar"},
		"2 kg chini ghar 56 indira colony":           {"chini", "ghar 56 indira colony"},
		"1 tata salt flat no 302 b wing":             {"tata salt", "flat no 302 b wing"},
		"2 kg chini house no. 12 gandhi nagar":       {"chini", "house no. 12 gandhi nagar"},
		"2 kg chini, h.no. 12 gandhi nagar":          {"chini", "h.no. 12 gandhi nagar"},
	} {
		o, ok := Parse(in).(Order)
		if !ok || len(o.Lines) != 1 || o.Lines[0].Words != want[0] || o.Address != want[1] {
			t.Errorf("Parse(%q) = %#v, want %s to %s", in, Parse(in), want[0], want[1])
		}
	}
}

func TestBareQuantity(t *testing.T) {
	for in, want := range map[string]int{"5 bhej do": 5, "ok send 2 packets": 2, "3 chahiye": 3, "2": 0, "2 atta": 0} {
		if got, _ := BareQuantity(in); got != want {
			t.Errorf("BareQuantity(%q) = %d, want %d", in, got, want)
		}
	}
}
