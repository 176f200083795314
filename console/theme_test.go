package console

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tokrihq/tokri/agent/admin"
)

// The widths tmux gives these strings (printf, then #{cursor_x}); xterm
// and VTE agree. A Hindi row padded by any other count ends ragged.
func TestWidthIsTheTerminals(t *testing.T) {
	for s, want := range map[string]int{
		"ऑर्डर":        4,
		"ग्राहक":       5,
		"स्वीकार":      6,
		"आशीर्वाद आटा": 11,
		"टाटा नमक":     8,
		"Rs570":        5,
		"":             0,
	} {
		if got := width(s); got != want {
			t.Errorf("width(%q) = %d, want %d", s, got, want)
		}
		for _, w := range []int{1, 3, 7, 12} {
			if got := width(fit(s, w)); got != w {
				t.Errorf("width(fit(%q, %d)) = %d", s, w, got)
			}
		}
	}
}

// The status bar says little while all is well and names the trouble
// when there is some.
func TestStatusBarModem(t *testing.T) {
	m := goldenModel(English, true)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	for _, tc := range []struct {
		modem admin.ModemStatus
		want  string
	}{
		{admin.ModemStatus{State: "ready", Registered: true, Operator: "Airtel", Bars: 3}, "Modem |||. Airtel SIM Rs43.50 | SMS 42/200"},
		{admin.ModemStatus{State: "ready", Registration: "searching", Bars: 0}, "Modem .... searching SIM Rs43.50 |"},
		{admin.ModemStatus{State: "recovering", Registered: true, Operator: "Jio", Bars: 1}, "Modem |... Jio recovering SIM"},
	} {
		st := goldenStatus()
		st.Modem = tc.modem
		m.Update(refreshed{live: true, status: st, open: goldenOrders()})
		if got := m.statusBar(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("status bar = %q, want it to start %q", got, tc.want)
		}
	}
	st := goldenStatus()
	st.Balance.Low, st.Queues.Capped = true, true
	m.Update(refreshed{live: true, status: st, open: goldenOrders()})
	if got := m.statusBar(); !strings.Contains(got, "SIM Rs43.50!") || !strings.Contains(got, "SMS 42/200!") {
		t.Errorf("a low balance and the cap reached are not marked: %q", got)
	}
}

func TestStatusBarGivesWayAt80Columns(t *testing.T) {
	m := goldenModel(English, false)
	bar := m.statusBar()
	if !strings.HasSuffix(bar, "10:30") || strings.Contains(bar, "Rs43.50") || !strings.Contains(bar, "SIM ok") || width(bar) != 80 {
		t.Errorf("at 80 columns the bar is %q (%d wide); want the clock kept and the balance dropped for the SIM's state", bar, width(bar))
	}
}

// A new order rings the bell in the next frame only, and the title
// counts it.
func TestBellRingsOncePerArrival(t *testing.T) {
	m := New(context.Background(), Options{Bell: true, Now: func() time.Time { return goldenNow }})
	all := goldenOrders()
	m.Update(refreshed{live: true, status: goldenStatus(), open: all[1:]})
	if strings.ContainsRune(m.View(), '\a') {
		t.Fatal("the orders waiting at start rang the bell")
	}
	m.Update(refreshed{live: true, status: goldenStatus(), open: all})
	v := m.View()
	if strings.Count(v, "\a") != 1 || !strings.Contains(v, "\x1b]2;Tokri (1 new)\x1b\\") {
		t.Fatalf("frame after a new order: %q", v)
	}
	m.Update(tick{})
	if strings.ContainsRune(m.View(), '\a') {
		t.Error("the bell rang again a second later")
	}
}

func TestSearchBySKUEnglishOrHindi(t *testing.T) {
	m := goldenModel(English, false)
	for q, want := range map[string]string{"salt1": "SALT1", "sunflower": "OIL1", "नमक": "SALT1", "घी": "GHEE1"} {
		m.setQuery(q)
		if len(m.shown) != 1 || m.items[m.shown[0]].SKU != want {
			t.Errorf("search %q found %d items, want %s", q, len(m.shown), want)
		}
	}
}

// The import bar is half the file read and checked, half the items
// written, as the agent reports them.
func TestImportBarFollowsTheAgent(t *testing.T) {
	m := goldenModel(English, true)
	m.Update(key("tab"))
	m.imp, m.mode = &importRun{name: "big.csv", total: 1000}, modeImport
	m.imp.sent.Store(500)
	m.Update(importPolled{p: admin.ImportProgress{State: admin.ImportChecking, Checked: 1500}})
	v := m.View()
	if !strings.Contains(v, "Importing big.csv [##########------------------------------]  25%") || !strings.Contains(v, "checking: 1500 lines read") {
		t.Errorf("checking:\n%s", v)
	}
	m.imp.sent.Store(1000)
	m.Update(importPolled{p: admin.ImportProgress{State: admin.ImportImporting, Items: 3000, Done: 1500}})
	v = m.View()
	if !strings.Contains(v, "[##############################----------]  75%") || !strings.Contains(v, "writing: 1500 of 3000 items") {
		t.Errorf("writing:\n%s", v)
	}
}
