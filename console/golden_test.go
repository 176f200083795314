package console

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/balance"
	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/agent/today"
	"github.com/tokrihq/tokri/internal/testkit"
)

// updating says whether -update was given: the flag is teatest's (its
// golden package defines it), and rewrites these screens too.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// goldenNow is the clock of every golden screen: 10:30 in the shop.
var goldenNow = time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)

var shopLoc = time.FixedZone("IST", 5*3600+1800)

func goldenStatus() admin.Status {
	return admin.Status{
		Running: true,
		Now:     goldenNow,
		Modem:   admin.ModemStatus{State: "ready", Registered: true, Operator: "Airtel", SIM: "ready", CSQ: 21, Bars: 3},
		Queues:  admin.Queues{SentToday: 42, DailyCap: 200, OutboxWaiting: 1},
		OpenOrders: map[string]int{
			"placed": 2, "accepted": 1, "packed": 1,
		},
		Items:   3,
		Shop:    admin.ShopState{Open: true, Hours: "08:00-21:00"},
		Sync:    &admin.SyncStatus{LastSuccess: goldenNow.Add(-7 * time.Minute), Pending: 2},
		Balance: &balance.Status{Reading: &balance.Reading{Amount: 4350, Currency: "Rs", SMS: -1}},
	}
}

func goldenOrders() []orders.Order {
	mk := func(id, shopper string, st orders.State, ago time.Duration, mode string, lines ...orders.Line) orders.Order {
		o := orders.Order{ID: id, Shopper: shopper, Lines: lines, State: st, Mode: mode, Payment: orders.PayCOD,
			CreatedAt: goldenNow.Add(-ago), UpdatedAt: goldenNow.Add(-ago)}
		for _, l := range lines {
			o.Subtotal += l.Price * int64(l.Qty)
		}
		if mode == orders.ModeDelivery {
			o.DeliveryFee, o.Address = 2000, "12 MG Road, near Hanuman mandir"
		}
		o.Total = o.Subtotal + o.DeliveryFee
		o.History = []orders.Change{{State: orders.Placed, At: o.CreatedAt, By: orders.ByShopper}}
		if st != orders.Placed {
			o.History = append(o.History, orders.Change{State: orders.Accepted, At: o.CreatedAt.Add(2 * time.Minute), By: orders.ByOperator})
		}
		if st == orders.Packed {
			o.History = append(o.History, orders.Change{State: orders.Packed, At: o.CreatedAt.Add(9 * time.Minute), By: orders.ByOperator})
		}
		return o
	}
	atta := orders.Line{SKU: "ATTA5", Name: "Aashirvaad Atta", NameHi: "आशीर्वाद आटा", Unit: "5 kg", Qty: 2, Price: 28500}
	salt := orders.Line{SKU: "SALT1", Name: "Tata Salt", NameHi: "टाटा नमक", Unit: "1 kg", Qty: 1, Price: 2800}
	oil := orders.Line{SKU: "OIL1", Name: "Fortune Sunflower Oil", NameHi: "फॉर्च्यून सूरजमुखी तेल", Unit: "1 L", Qty: 1, Price: 16500}
	// Newest first, as the API lists them.
	return []orders.Order{
		mk("K7M4P", "+919811110001", orders.Placed, 40*time.Second, orders.ModeDelivery, atta, salt, oil),
		mk("H3QX9", "+919822220002", orders.Placed, 6*time.Minute, orders.ModePickup, salt),
		mk("D8RT2", "+919833330003", orders.Accepted, 25*time.Minute, orders.ModeDelivery, oil),
		mk("B2WN6", "+919844440004", orders.Packed, 2*time.Hour, orders.ModePickup, atta),
	}
}

func goldenItems() []catalog.Item {
	return []catalog.Item{
		{SKU: "ATTA5", Name: "Aashirvaad Atta", NameHi: "आशीर्वाद आटा", Category: "Staples", Unit: "5 kg", Price: 28500, Stock: 24, Active: true},
		{SKU: "OIL1", Name: "Fortune Sunflower Oil", NameHi: "फॉर्च्यून सूरजमुखी तेल", Category: "Oil", Unit: "1 L", Price: 16500, Stock: 0, Active: true},
		{SKU: "SALT1", Name: "Tata Salt", NameHi: "टाटा नमक", Category: "Staples", Unit: "1 kg", Price: 2800, Stock: 50, Active: true},
		{SKU: "GHEE1", Name: "Amul Ghee", NameHi: "अमूल घी", Category: "Dairy", Unit: "1 L", Price: 65000, Stock: 3, Active: false},
	}
}

// goldenModel is a console that has loaded the fixtures above; the second
// placed order arrived after it started.
func goldenModel(lang Lang, ascii bool) *Model {
	m := New(context.Background(), Options{Lang: lang, ASCII: ascii, Now: func() time.Time { return goldenNow }, Loc: shopLoc,
		Reach: func(bool) (admin.Backend, bool, func(), error) { return nil, false, nil, admin.ErrNoAgent }})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	all := goldenOrders()
	m.Update(refreshed{live: true, status: goldenStatus(), open: all[1:]})
	m.Update(refreshed{live: true, status: goldenStatus(), open: all})
	m.Update(loaded[catalog.Item]{list: goldenItems()})
	m.Update(loaded[shoppers.Profile]{list: []shoppers.Profile{
		{Number: "+919822220002", Lang: "en", LastSeen: goldenNow.Add(-6 * time.Minute), LastOrder: "H3QX9"},
		{Number: "+919811110001", Lang: "hi", LastSeen: goldenNow.Add(-40 * time.Second), LastOrder: "K7M4P"},
		{Number: "+919855550005", Lang: "en", OptedOut: true, LastSeen: goldenNow.Add(-26 * time.Hour)},
	}})
	return m
}

// goldenConversation is shopper 0001's morning, as the agent lists it.
func goldenConversation() []store.Message {
	at := func(d time.Duration) time.Time { return goldenNow.Add(-d) }
	return []store.Message{
		{ID: 1, Inbound: true, At: at(3 * time.Minute), Text: "2 aashirvaad atta 5kg, 1 tata salt, 1 fortune oil", State: store.MsgReceived},
		{ID: 1, At: at(3 * time.Minute), Text: "Added 2x Aashirvaad Atta 5kg, 1x Tata Salt 1kg, 1x Fortune Sunflower Oil 1L. Cart: 3 items, Rs763. To order, send your address (ADDR 12 MG Road) or PICKUP, or add more.", Segments: 2, State: store.MsgDelivered},
		{ID: 2, Inbound: true, At: at(2 * time.Minute), Text: "ADDR 12 MG Road, near Hanuman mandir", State: store.MsgReceived},
		{ID: 2, At: at(2 * time.Minute), Text: "3 items, total Rs783, home delivery, cash on delivery. YES to order.", Segments: 1, State: store.MsgSent},
		{ID: 3, Inbound: true, At: at(40 * time.Second), Text: "हाँ", State: store.MsgReceived},
		{ID: 3, At: at(40 * time.Second), Text: "ऑर्डर K7M4P हो गया! कुल Rs783।", Segments: 1, State: store.MsgFailed, Error: "+CMS ERROR: 500"},
	}
}

// screens are the main views, each reached by what an operator does.
var screens = []struct {
	name  string
	setup func(m *Model)
}{
	{"orders", func(m *Model) {}},
	{"order", func(m *Model) { press(m, "k", "enter") }},
	{"preview", func(m *Model) {
		press(m, "k", "enter")
		m.mode = modeConfirm
		m.act = admin.Accept
		m.preview = goldenPreview(m.o.Lang)
	}},
	{"reject", func(m *Model) { press(m, "k", "enter", "r") }},
	{"catalog", func(m *Model) { press(m, "tab") }},
	{"help", func(m *Model) { press(m, "?") }},
	{"shoppers", func(m *Model) { press(m, "tab", "tab") }},
	{"conversation", func(m *Model) {
		press(m, "tab", "tab", "enter")
		m.Update(convLoaded{number: "+919811110001", conv: goldenConversation()})
	}},
	{"failed", func(m *Model) {
		press(m, "tab", "tab", "f")
		m.Update(loaded[admin.FailedSend]{list: []admin.FailedSend{{ID: 3, To: "+919811110001", Text: "ऑर्डर K7M4P हो गया! कुल Rs783।", Error: "+CMS ERROR: 500", At: goldenNow.Add(-30 * time.Second)}}})
	}},
	{"unread", func(m *Model) {
		press(m, "tab", "tab", "u")
		m.Update(loaded[admin.Unreadable]{list: []admin.Unreadable{
			{ID: 7, PDU: "0791198911", Error: "pdu: short read", At: goldenNow.Add(-2 * time.Hour)},
			{ID: 9, PDU: "2b434d53204552524f523a20353030", Error: "not hex, not a pdu", At: goldenNow.Add(-5 * time.Minute)},
		}})
	}},
	{"today", func(m *Model) {
		press(m, "tab", "tab", "tab")
		m.Update(todayLoaded{t: admin.Today{
			Summary: today.Summary{Day: "2026-03-02", Orders: 14, Open: 4, Delivered: 9, Cancelled: 1, Revenue: 612350, Segments: 41, SMSPerOrder: 41.0 / 14,
				Top: []today.Item{{SKU: "ATTA5", Name: "Aashirvaad Atta", Unit: "5 kg", Qty: 11}, {SKU: "SALT1", Name: "Tata Salt", Unit: "1 kg", Qty: 9}, {SKU: "OIL1", Name: "Fortune Sunflower Oil", Unit: "1 L", Qty: 6}}},
			SMS:         "Sharma Kirana 02 Mar: 14 orders, Rs6123.50. Delivered 9, open 4, cancelled 1. SMS 2.9 per order (41 sent). Top: Aashirvaad Atta 5 kg x11, Tata Salt 1 kg x9, Fortune Sunflower Oil 1 L x6.",
			SMSSegments: 2, At: "21:00", To: "+********0009"}})
	}},
	{"down", func(m *Model) {
		m.Update(refreshed{live: false, status: admin.Status{Now: goldenNow, Queues: admin.Queues{SentToday: 42}}, open: goldenOrders()})
	}},
}

// goldenPreview is what the agent answers for accepting K7M4P.
func goldenPreview(l Lang) admin.Preview {
	if l == Hindi {
		return admin.Preview{Action: admin.Accept, State: orders.Accepted, Lang: "hi", Segments: 2, Encoding: "ucs2",
			Text: "शर्मा किराना ने आपका ऑर्डर K7M4P स्वीकार किया। कुल Rs625। हम सामान भेजते समय SMS करेंगे।"}
	}
	return admin.Preview{Action: admin.Accept, State: orders.Accepted, Lang: "en", Segments: 1, Encoding: "gsm7",
		Text: "Sharma Kirana accepted your order K7M4P. Total Rs625. We will SMS you when it moves."}
}

// press sends the keys to m, one after another.
func press(m *Model, keys ...string) {
	for _, k := range keys {
		m.Update(key(k))
	}
}

func key(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func TestGoldenScreens(t *testing.T) {
	for _, lang := range []Lang{English, Hindi} {
		for _, ascii := range []bool{false, true} {
			for _, sc := range screens {
				style := "box"
				if ascii {
					style = "ascii"
				}
				name := fmt.Sprintf("%s_%s_%s.txt", sc.name, lang, style)
				t.Run(name, func(t *testing.T) {
					m := goldenModel(lang, ascii)
					sc.setup(m)
					got := ansi.Strip(m.View())
					checkFrame(t, got, 80, 24, ascii)
					path := filepath.Join("testdata", name)
					want, err := os.ReadFile(path)
					if err != nil && !updating() {
						t.Fatalf("%v (run with -update to write it)", err)
					}
					testkit.CheckGolden(t, path, string(want), got, updating(), path)
				})
			}
		}
	}
}

// checkFrame holds every screen to the terminal: exactly h lines, none
// wider than w, and in ASCII mode nothing but ASCII outside the text the
// shop's data and language bring.
func checkFrame(t *testing.T, screen string, w, h int, ascii bool) {
	t.Helper()
	lines := strings.Split(screen, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := width(l); n > w {
			t.Errorf("line %d is %d columns wide: %q", i+1, n, l)
		}
		if ascii && strings.ContainsAny(l, "─│▁▂▄▆█░") {
			t.Errorf("line %d has box drawing in ASCII mode: %q", i+1, l)
		}
	}
}

// A SIM that needs the operator says what it needs on the bar, in place
// of its balance and even when the bar is short of room.
func TestStatusBarSaysWhatTheSIMNeeds(t *testing.T) {
	for _, tc := range []struct {
		lang      Lang
		sim, want string
	}{
		{English, "pin", "Airtel SIM PIN needed │"},
		{English, "puk", "Airtel SIM PUK needed │"},
		{English, "none", "Airtel no SIM │"},
		{Hindi, "pin", "Airtel SIM PIN चाहिए │"},
	} {
		m := goldenModel(tc.lang, false)
		st := goldenStatus()
		st.Modem.SIM = tc.sim
		m.Update(refreshed{live: true, status: st, open: goldenOrders()})
		if bar := ansi.Strip(m.statusBar()); !strings.Contains(bar, tc.want) {
			t.Errorf("%s SIM %s: bar %q, want %q", tc.lang, tc.sim, bar, tc.want)
		}
	}
}
