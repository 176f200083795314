package command

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/size"
)

func kg(n int) size.Size  { return size.Size{Amount: n * 1000, Unit: size.Gram} }
func g(n int) size.Size   { return size.Size{Amount: n, Unit: size.Gram} }
func ltr(n int) size.Size { return size.Size{Amount: n * 1000, Unit: size.Millilitre} }

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Command
	}{
		// Greetings and menus, any case and script.
		{"HI", Menu{}},
		{"  hello!!  ", Menu{}},
		{"Menu", Menu{}},
		{"menu dikhao please", Menu{}},
		{"नमस्ते", Menu{}},
		{"मेनू", Menu{}},
		{"MENUU", Menu{}}, // one typo in a long keyword... "menuu" keys to "menu"
		{"help", Help{}},
		{"?", Help{}},
		{"मदद", Help{}},
		{"STOP", Stop{}},
		{"band karo", Stop{}},
		{"START", Start{}},
		{"shuru", Start{}},
		// Language.
		{"HINDI", Lang{Lang: protocol.Hindi}},
		{"हिंदी", Lang{Lang: protocol.Hindi}},
		{"lang hi", Lang{Lang: protocol.Hindi}},
		{"LANG EN", Lang{Lang: protocol.English}},
		{"english", Lang{Lang: protocol.English}},
		{"EN", Lang{Lang: protocol.English}},
		{"angrezi", Lang{Lang: protocol.English}},
		{"HINGLISH", Lang{Lang: protocol.Hinglish}},
		{"hinglish please", Lang{Lang: protocol.Hinglish}},
		{"lang hinglish", Lang{Lang: protocol.Hinglish}},
		// Numbers on a numbered screen.
		{"3", Pick{N: 3}},
		{" 3. ", Pick{N: 3}},
		{"#4", Pick{N: 4}},
		{"no. 5", Pick{N: 5}},
		{"item 12", Pick{N: 12}},
		{"३", Pick{N: 3}},
		{"९", Pick{N: 9}},
		{"0", Pick{N: 0}},
		{"ek", Pick{N: 1}},
		{"１", Pick{N: 1}},
		{"more", More{}},
		{"aur", More{}},
		{"aur dikhao", More{}},
		{"NEXT", More{}},
		{"back", Back{}},
		{"peeche", Back{}},
		{"वापस", Back{}},
		// Search.
		{"atta", Search{Words: "atta"}},
		{"chawal", Search{Words: "chawal"}},
		{"चीनी", Search{Words: "cheeni"}},
		{"sarson ka tel", Search{Words: "sarson tel"}},
		{"atta ka rate", Search{Words: "atta"}},
		{"price of dal", Search{Words: "dal"}},
		{"kya maggi hai?", Search{Words: "maggi"}},
		{"find biscuit", Search{Words: "biscuit"}},
		{"ATTA5", Search{Words: "atta5"}},
		// Orders.
		{"2 atta 5kg, 1 oil, sugar 1kg", Order{Lines: []Line{
			{Qty: 2, Words: "atta", Size: kg(5)}, {Qty: 1, Words: "oil"}, {Words: "sugar", Size: kg(1)}}}},
		{"2 atta 5kg 1 oil", Order{Lines: []Line{{Qty: 2, Words: "atta", Size: kg(5)}, {Qty: 1, Words: "oil"}}}},
		{"atta 2 oil 3", Order{Lines: []Line{{Qty: 2, Words: "atta"}, {Qty: 3, Words: "oil"}}}},
		{"sugar 1kg atta 2", Order{Lines: []Line{{Words: "sugar", Size: kg(1)}, {Qty: 2, Words: "atta"}}}},
		{"2 atta", Order{Lines: []Line{{Qty: 2, Words: "atta"}}}},
		{"atta 5 kg", Order{Lines: []Line{{Words: "atta", Size: kg(5)}}}},
		{"tel 1l", Order{Lines: []Line{{Words: "tel", Size: ltr(1)}}}},
		{"tel 1 l", Order{Lines: []Line{{Words: "tel", Size: ltr(1)}}}},
		{"500g haldi", Order{Lines: []Line{{Words: "haldi", Size: g(500)}}}},
		{"atta, oil", Order{Lines: []Line{{Words: "atta"}, {Words: "oil"}}}},
		{"atta aur cheeni", Order{Lines: []Line{{Words: "atta"}, {Words: "cheeni"}}}},
		{"2 atta aur 1 tel", Order{Lines: []Line{{Qty: 2, Words: "atta"}, {Qty: 1, Words: "tel"}}}},
		{"do atta", Order{Lines: []Line{{Qty: 2, Words: "atta"}}}},
		{"ek kilo cheeni", Order{Lines: []Line{{Words: "cheeni", Size: kg(1)}}}},
		{"aadha kilo ghee", Order{Lines: []Line{{Words: "ghee", Size: g(500)}}}},
		{"atta chahiye", Order{Lines: []Line{{Words: "atta"}}}},
		{"add maggi", Order{Lines: []Line{{Words: "maggi"}}}},
		{"ORDER 3 MAGGI", Order{Lines: []Line{{Qty: 3, Words: "maggi"}}}},
		{"2 packet maggi", Order{Lines: []Line{{Qty: 2, Words: "maggi"}}}},
		{"1 dozen eggs", Order{Lines: []Line{{Qty: 12, Words: "eggs"}}}},
		{"maggi x3", Order{Lines: []Line{{Qty: 3, Words: "maggi"}}}},
		{"3x maggi", Order{Lines: []Line{{Qty: 3, Words: "maggi"}}}},
		{"atta, 2", Order{Lines: []Line{{Qty: 2, Words: "atta"}}}},
		{"२ आटा ५ किलो", Order{Lines: []Line{{Qty: 2, Words: "aata", Size: kg(5)}}}},
		{"1.5 kg chawal", Order{Lines: []Line{{Words: "chawal", Size: size.Size{Amount: 1500, Unit: size.Gram}}}}},
		{"2 atta 5kg.\n1 Fortune oil", Order{Lines: []Line{{Qty: 2, Words: "atta", Size: kg(5)}, {Qty: 1, Words: "fortune oil"}}}},
		{"Hide & Seek 2", Order{Lines: []Line{{Qty: 2, Words: "hide seek"}}}},
		{"mujhe 2 kilo atta aur 1 litre sarson tel chahiye", Order{Lines: []Line{
			{Words: "atta", Size: kg(2)}, {Words: "sarson tel", Size: ltr(1)}}}},
		{"Namaste bhaiya, 1 kg dal aur 2 packet namak bhej dijiye. Dhanyavad", Order{Lines: []Line{
			{Words: "dal", Size: kg(1)}, {Qty: 2, Words: "namak"}}}},
		{"2, atta", Order{Lines: []Line{{Qty: 2, Words: "atta"}}}},
		{"kitne ka hai atta", Search{Words: "atta"}},
		// Cart.
		{"cart", Cart{}},
		{"show cart", Cart{}},
		{"meri tokri", Cart{}},
		{"remove 2", Remove{N: 2}},
		{"2 hatao", Remove{N: 2}},
		{"delete atta", Remove{Words: "atta"}},
		{"remove", Remove{}},
		{"remove all", Clear{}},
		{"cancel atta", Remove{Words: "atta"}},
		{"change 2 to 5", SetQty{N: 2, Qty: 5}},
		{"qty 2 5", SetQty{N: 2, Qty: 5}},
		{"2 ko 5 karo", SetQty{N: 2, Qty: 5}},
		{"item 2 = 5", SetQty{N: 2, Qty: 5}},
		{"2=5", SetQty{N: 2, Qty: 5}},
		{"clear", Clear{}},
		{"khali karo", Clear{}},
		// Checkout.
		{"checkout", Checkout{}},
		{"ORDER", Checkout{}},
		{"bas", Checkout{}},
		{"ho gaya", Checkout{}},
		{"YES", Yes{}},
		{"haan ji", Yes{}},
		{"हाँ", Yes{}},
		{"ok", Yes{}},
		{"no", No{}},
		{"nahi", No{}},
		{"नहीं", No{}},
		{"delivery", Fulfil{Mode: Delivery}},
		{"home delivery", Fulfil{Mode: Delivery}},
		{"pickup", Fulfil{Mode: Pickup}},
		{"pick up", Fulfil{Mode: Pickup}},
		{"COD", Pay{Method: COD}},
		{"cash", Pay{Method: COD}},
		{"UPI", Pay{Method: UPI}},
		{"paytm", Pay{Method: UPI}},
		{"ADDR 12 MG Road, near Hanuman mandir", Address{Text: "12 MG Road, near Hanuman mandir"}},
		{"address: 4/5 Gandhi Nagar", Address{Text: "4/5 Gandhi Nagar"}},
		{"mera pata hai 7 Nehru Gali", Address{Text: "7 Nehru Gali"}},
		{"पता: गली 4, शिव मंदिर के पास", Address{Text: "गली 4, शिव मंदिर के पास"}},
		// Orders after checkout.
		{"status", Status{}},
		{"STATUS K7M3", Status{Order: "K7M3"}},
		{"status of my order k7m3 please", Status{Order: "K7M3"}},
		{"order kahan hai", Status{}},
		{"cancel", Cancel{}},
		{"CANCEL K7M3", Cancel{Order: "K7M3"}},
		{"k7m3 cancel karo", Cancel{Order: "K7M3"}},
		{"cancle", Cancel{}}, // typo
		{"repeat", Repeat{}},
		{"repeat k7m3", Repeat{Order: "K7M3"}},
		{"STATUS TKQRW", Status{Order: "TKQRW"}},
		{"cancel MWLPX", Cancel{Order: "MWLPX"}},
		{"cancel maggi", Remove{Words: "maggi"}},
		{"cancel sugar", Remove{Words: "sugar"}},
		{"phir se", Repeat{}},
		{"dobara", Repeat{}},
		// Nothing to act on.
		{"", Unknown{Text: ""}},
		{"   ", Unknown{Text: ""}},
		{"🙏🙏😀", Unknown{Text: "🙏🙏😀"}},
		{"!!!", Unknown{Text: "!!!"}},
		{"2 5", Unknown{Text: "2 5"}},
		{"12345", Unknown{Text: "12345"}},
		{"thank you", Unknown{Text: "thank you"}},
	}
	for _, tc := range tests {
		got := Parse(tc.in)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestParseExpectAddress(t *testing.T) {
	tests := []struct {
		in   string
		want Command
	}{
		{"12 MG Road, near temple", Address{Text: "12 MG Road, near temple"}},
		{"House 4, Gali 2, Shiv Nagar", Address{Text: "House 4, Gali 2, Shiv Nagar"}},
		{"addr Flat 3 B Block", Address{Text: "Flat 3 B Block"}},
		{"शिव मंदिर के पास, वार्ड 7", Address{Text: "शिव मंदिर के पास, वार्ड 7"}},
		{"ghar 5 shanti nagar pe bhej do", Address{Text: "ghar 5 shanti nagar"}},
		{"गली 4, शिव नगर पर भेज दो", Address{Text: "गली 4, शिव नगर"}},
		{"cancel", Cancel{}},
		{"back", Back{}},
		{"pickup", Fulfil{Mode: Pickup}},
		{"0", Pick{N: 0}},
		{"OP 4321 ORDERS", Operator{PIN: "4321", Verb: OpOrders}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, ParseExpect(tc.in, ExpectAddress)); diff != "" {
			t.Errorf("ParseExpect(%q, ExpectAddress) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestParseOperator(t *testing.T) {
	tests := []struct {
		in    string
		want  Operator
		check error
	}{
		{"OP 4321 ORDERS", Operator{PIN: "4321", Verb: OpOrders}, nil},
		{"op 4321 orders", Operator{PIN: "4321", Verb: OpOrders}, nil},
		{"OP 4321 ACCEPT K7M3", Operator{PIN: "4321", Verb: OpAccept, Args: []string{"K7M3"}}, nil},
		{"OP 4321 REJECT K7M3 out of stock", Operator{PIN: "4321", Verb: OpReject, Args: []string{"K7M3", "OUT", "OF", "STOCK"}}, nil},
		{"OP 4321 DELIVERED K7M3", Operator{PIN: "4321", Verb: OpDeliver, Args: []string{"K7M3"}}, nil},
		{"OP 4321 STOCK ATTA5 20", Operator{PIN: "4321", Verb: OpStock, Args: []string{"ATTA5", "20"}}, nil},
		{"OP 4321 STOCK ATTA-5 20", Operator{PIN: "4321", Verb: OpStock, Args: []string{"ATTA-5", "20"}}, nil},
		{"OP 4321 PRICE ATTA5 260", Operator{PIN: "4321", Verb: OpPrice, Args: []string{"ATTA5", "260"}}, nil},
		{"OP 4321 PRICE ATTA5 52.50", Operator{PIN: "4321", Verb: OpPrice, Args: []string{"ATTA5", "52.50"}}, nil},
		{"OP ४३२१ PAUSE", Operator{PIN: "4321", Verb: OpPause}, nil},
		{"OP 4321 PAUSE back at 5pm", Operator{PIN: "4321", Verb: OpPause, Args: []string{"BACK", "AT", "5PM"}}, nil},
		{"OP 4321 RESUME", Operator{PIN: "4321", Verb: OpResume}, nil},
		{"OP ORDERS", Operator{Verb: OpOrders}, ErrPIN},
		{"OP 12 ORDERS", Operator{PIN: "12", Verb: OpOrders}, ErrPIN},
		{"OP 4321 FLY", Operator{PIN: "4321", Verb: "FLY"}, ErrVerb},
		{"OP 4321 ACCEPT", Operator{PIN: "4321", Verb: OpAccept}, ErrArgs},
		{"OP 4321 STOCK ATTA5 lots", Operator{PIN: "4321", Verb: OpStock, Args: []string{"ATTA5", "LOTS"}}, ErrArgs},
		{"OP 4321 STOCK ATTA5 -1", Operator{PIN: "4321", Verb: OpStock, Args: []string{"ATTA5", "-1"}}, ErrArgs},
		{"OP 4321 PRICE ATTA5 5.555", Operator{PIN: "4321", Verb: OpPrice, Args: []string{"ATTA5", "5.555"}}, ErrArgs},
		{"OP 4321", Operator{PIN: "4321"}, ErrVerb},
	}
	for _, tc := range tests {
		got, ok := Parse(tc.in).(Operator)
		if !ok {
			t.Errorf("Parse(%q) = %#v, want an Operator", tc.in, Parse(tc.in))
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
		if err := got.Check(); !errorIs(err, tc.check) {
			t.Errorf("Parse(%q).Check() = %v, want %v", tc.in, err, tc.check)
		}
	}
	if s := (Operator{PIN: "4321", Verb: OpAccept, Args: []string{"K7M3"}}).String(); strings.Contains(s, "4321") {
		t.Errorf("Operator.String() shows the PIN: %q", s)
	}
}

func errorIs(err, target error) bool {
	if target == nil {
		return err == nil
	}
	for e := err; e != nil; {
		if e == target {
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

func TestParseRupees(t *testing.T) {
	tests := []struct {
		in    string
		paise int64
		ok    bool
	}{
		{"260", 26000, true},
		{"52.50", 5250, true},
		{"52.5", 5250, true},
		{".5", 50, true},
		{"Rs52", 5200, true},
		{"rs.52", 5200, true},
		{"₹52", 5200, true},
		{"0", 0, true},
		{"52.", 0, false},
		{"5.555", 0, false},
		{"-5", 0, false},
		{"abc", 0, false},
		{"", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tc := range tests {
		p, ok := ParseRupees(tc.in)
		if p != tc.paise || ok != tc.ok {
			t.Errorf("ParseRupees(%q) = %d, %v; want %d, %v", tc.in, p, ok, tc.paise, tc.ok)
		}
	}
}

func TestLine(t *testing.T) {
	l := Line{Words: "atta", Size: kg(5)}
	if l.Count() != 1 || l.Query() != "atta 5kg" {
		t.Errorf("Line %+v: Count %d Query %q", l, l.Count(), l.Query())
	}
	if l := (Line{Qty: 3, Words: "oil"}); l.Count() != 3 || l.Query() != "oil" {
		t.Errorf("Line %+v: Count %d Query %q", l, l.Count(), l.Query())
	}
}

func TestNames(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range []Command{Menu{}, Help{}, Stop{}, Start{}, Lang{}, Pick{}, More{}, Back{}, Search{}, Order{},
		Cart{}, Remove{}, SetQty{}, Clear{}, Checkout{}, Yes{}, No{}, Fulfil{}, Pay{}, Address{}, Status{},
		Cancel{}, Repeat{}, Unknown{}, Operator{}} {
		if n := c.Name(); n == "" || seen[n] {
			t.Errorf("%T.Name() = %q: empty or taken", c, n)
		}
		seen[c.Name()] = true
	}
}
