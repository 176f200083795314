package console

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/agent/system"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/seed"
	"github.com/tokrihq/tokri/internal/testkit/systemtest"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// shopRig is a whole shop as agent/system builds it for tokri run: store
// with the example catalog, shop, agent on a virtual modem through the
// real serial code, and the admin API on a socket.
type shopRig struct {
	t     *testing.T
	clock *testtime.Clock
	db    *store.DB
	vmc   *vmodem.Client
	ctx   context.Context
	data  string // holds the socket
	seq   int    // the modem's sent log has been read up to here
	// stopAdmin stops the agent and its admin API, as if it went away;
	// the store stays open.
	stopAdmin func()
}

func startShop(t *testing.T) *shopRig {
	t.Helper()
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	clk := testtime.NewClock(testkit.ShopStart)
	vm := testkit.StartVModem(t, vmodem.Config{Now: clk.Now, Log: log})
	cfg := config.Default()
	cfg.Shop, cfg.Agent.OwnNumber = testkit.ShopConfig(t, ""), testkit.OwnSIM
	sys, a := systemtest.Start(t, vm, system.Options{Config: cfg, SystemClock: clk.Now, Log: log})
	testkit.ImportShop(t, sys.DB, cfg.Shop.Name, testkit.ExampleCatalog(t))
	a.WaitModem()
	return &shopRig{t: t, clock: clk, db: sys.DB, vmc: vm.Client, ctx: vm.Ctx, data: filepath.Dir(sys.Socket), stopAdmin: a.Stop}
}

// text makes the phone send an SMS and returns what the shop answered.
func (r *shopRig) text(from, msg string) []vmodem.Sent {
	r.t.Helper()
	r.clock.Add(time.Minute)
	if err := r.vmc.SendSMS(r.ctx, vmodem.SMS{From: from, Text: msg}); err != nil {
		r.t.Fatalf("sms: %v", err)
	}
	return r.waitSent(1)
}

// waitSent waits for n more messages to leave the modem.
func (r *shopRig) waitSent(n int) []vmodem.Sent {
	r.t.Helper()
	end := time.Now().Add(testtime.Deadline)
	for time.Now().Before(end) {
		got, err := r.vmc.WaitSent(r.ctx, r.seq, n, 5*time.Second)
		if err == nil && len(got) >= n {
			r.seq = got[len(got)-1].Seq
			return got
		}
	}
	r.t.Fatalf("timed out waiting for %d sent messages", n)
	return nil
}

// startConsole runs the console on the rig's agent in a virtual 80x24
// terminal.
func startConsole(t *testing.T, r *shopRig, o Options) *teatest.TestModel {
	t.Helper()
	env := admin.Env{Data: r.data, Log: zerolog.Nop(), Now: r.clock.Now}
	o.Reach, o.Now, o.Loc = env.Connect, r.clock.Now, time.UTC
	ctx, cancel := context.WithCancel(context.Background())
	tm := teatest.NewTestModel(t, New(ctx, o), teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() {
		cancel()
		tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	})
	return tm
}

// waitScreen waits until the console has drawn all of want.
func waitScreen(t *testing.T, tm *teatest.TestModel, want ...string) []byte {
	t.Helper()
	var seen bytes.Buffer
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen.Write(b)
		for _, w := range want {
			if !bytes.Contains(seen.Bytes(), []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(testtime.Deadline), teatest.WithCheckInterval(20*time.Millisecond))
	return seen.Bytes()
}

func keys(tm *teatest.TestModel, ks ...string) {
	for _, k := range ks {
		switch k {
		case "enter":
			tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
		case "tab":
			tm.Send(tea.KeyMsg{Type: tea.KeyTab})
		case "esc":
			tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
		case "ctrl+u":
			tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
		default:
			tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		}
	}
}

// placeOrder has a shopper order two packs of atta for pickup and
// returns the shop's confirmation.
func (r *shopRig) placeOrder(from string) string {
	r.t.Helper()
	r.text(from, "2 aashirvaad atta 5kg")
	r.text(from, "PICKUP")
	// The operator hears of the new order too, before the shopper.
	got := r.text(from, "YES")
	if len(got) == 1 {
		got = append(got, r.waitSent(1)...)
	}
	i := slices.IndexFunc(got, func(s vmodem.Sent) bool { return s.To == from })
	if i < 0 || !strings.Contains(got[i].Text, "placed") {
		r.t.Fatalf("order not placed: %+v", got)
	}
	return got[i].Text
}

func TestOrderBySMSIsAcceptedWithOneKey(t *testing.T) {
	testtime.NoLeaks(t)
	r := startShop(t)
	tm := startConsole(t, r, Options{Bell: true})
	if before := waitScreen(t, tm, "No open orders.", "\x1b]2;Tokri\x1b\\"); bytes.ContainsRune(before, '\a') {
		t.Error("the bell rang with no order")
	}

	r.placeOrder(testkit.Shopper)
	waitScreen(t, tm, "* 1 new", "+********0001", "Rs570", "pickup", "\x1b]2;Tokri (1 new)\x1b\\", "\a")
	keys(tm, "enter")
	waitScreen(t, tm, "Shopper +919811110001")
	keys(tm, "a")
	preview := waitScreen(t, tm, "SMS to +********0001, 1 part(s), GSM-7:", "y send")
	keys(tm, "y")
	got := r.waitSent(1)
	if got[0].To != testkit.Shopper || !strings.Contains(got[0].Text, "accepted") {
		t.Fatalf("the shopper got %+v, want the accepted notice", got)
	}
	// What the screen showed before y is what the phone got, word for word.
	for _, w := range strings.Fields(got[0].Text) {
		if !bytes.Contains(preview, []byte(w)) {
			t.Errorf("the phone got %q; the preview did not show %q", got[0].Text, w)
		}
	}
	waitScreen(t, tm, ": Accepted.")

	// The shopper's whole conversation, both ways, with the notice last.
	keys(tm, "esc", "tab", "tab")
	waitScreen(t, tm, "Last order", "+********0001")
	keys(tm, "enter")
	waitScreen(t, tm, "Conversation with +919811110001", "> YES", "< Sharma Kirana")
}

func TestStockEditReachesTheNextShopper(t *testing.T) {
	testtime.NoLeaks(t)
	r := startShop(t)
	tm := startConsole(t, r, Options{})
	waitScreen(t, tm, "No open orders.")
	keys(tm, "tab")
	waitScreen(t, tm, "ATTA5")
	keys(tm, "/")
	keys(tm, strings.Split("namak", "")...)
	waitScreen(t, tm, "SALT1", "Search: > namak")
	keys(tm, "enter", "s", "ctrl+u", "0", "enter")
	waitScreen(t, tm, "Saved SALT1 Tata Salt: Stock 0")

	got := r.text(testkit.Shopper, "1 tata salt")
	if !strings.Contains(got[0].Text, "out of stock") {
		t.Fatalf("after stock 0 the shopper got %q", got[0].Text)
	}

	// Withdrawn, the item is no longer the shopper's "namak".
	keys(tm, "d")
	waitScreen(t, tm, "Saved SALT1 Tata Salt: Stock 0, Price 28.00, off")
	got = r.text(testkit.Shopper, "1 tata salt")
	if strings.Contains(got[0].Text, "Tata Salt ") {
		t.Fatalf("a withdrawn item is still offered: %q", got[0].Text)
	}
}

func TestImportShowsProgressAndBadLines(t *testing.T) {
	testtime.NoLeaks(t)
	r := startShop(t)
	tm := startConsole(t, r, Options{ASCII: true})
	waitScreen(t, tm, "No open orders.")
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("sku,name,name_hi,category,unit,price,stock,synonyms\n"+
		"TEA1,Tata Tea,टाटा चाय,Beverages,250 g,140,10,chai\n"+
		"TEA2,Red Label,,Beverages,250 g,abc,10,\n"+
		",No SKU,,Beverages,1,10,1,\n"), 0o644)
	keys(tm, "tab", "i")
	keys(tm, strings.Split(bad, "")...)
	keys(tm, "enter")
	waitScreen(t, tm, "Importing bad.csv [########################################] 100%", "Nothing imported: 2 bad line(s):", "line 3", "line 4")

	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("sku,name,name_hi,category,unit,price,stock,synonyms\n"+
		"TEA1,Tata Tea,टाटा चाय,Beverages,250 g,140,10,chai\n"), 0o644)
	keys(tm, "esc", "i")
	keys(tm, strings.Split(good, "")...)
	keys(tm, "enter")
	waitScreen(t, tm, "Importing good.csv [#", "Imported: 1 added, 0 updated.")
	keys(tm, "esc", "/")
	keys(tm, strings.Split("chai", "")...)
	waitScreen(t, tm, "TEA1", "Tata Tea")

	// Export writes the whole catalog, the new item too.
	out := filepath.Join(dir, "out.csv")
	keys(tm, "esc", "x", "ctrl+u")
	keys(tm, strings.Split(out, "")...)
	keys(tm, "enter")
	waitScreen(t, tm, "Exported 173 items to")
	b, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(b, []byte("sku,name,name_hi")) || !bytes.Contains(b, []byte("TEA1,Tata Tea,टाटा चाय")) {
		t.Fatalf("export: %v\n%.300s", err, b)
	}
}

// P pauses the shop for the next shopper and resumes it.
func TestPauseKey(t *testing.T) {
	testtime.NoLeaks(t)
	r := startShop(t)
	tm := startConsole(t, r, Options{})
	// The modem's own answer to AT+CPIN? reaches the bar.
	waitScreen(t, tm, "No open orders.", "OPEN", "SIM ok")
	keys(tm, "P")
	waitScreen(t, tm, "Shop paused: new orders are turned away.", "PAUSED")
	r.text(testkit.Shopper, "2 aashirvaad atta 5kg")
	got := r.text(testkit.Shopper, "PICKUP")
	if !strings.Contains(got[0].Text, "is not taking orders right now") {
		t.Fatalf("a paused shop answered %q", got[0].Text)
	}
	keys(tm, "P")
	waitScreen(t, tm, "Shop resumed: taking orders.")
}

// With no agent the console says so, shows the store file read only,
// refuses changes in plain words, and leaves the file free for an agent
// to start.
func TestAgentDownShowsTheFileReadOnly(t *testing.T) {
	testtime.NoLeaks(t)
	data := seed.ShortDir(t)
	path := filepath.Join(data, admin.DBName)
	db, err := store.Open(path, store.Options{Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	testkit.ImportShop(t, db, "Sharma Kirana", testkit.ExampleCatalog(t))
	err = db.Update(func(tx *store.Tx) error {
		_, err := orders.Place(tx, orders.Order{Shopper: testkit.Shopper, Mode: orders.ModePickup, Payment: orders.PayCOD,
			Lines: []orders.Line{{SKU: "SALT1", Name: "Tata Salt", Qty: 2, Price: 2800}}, Subtotal: 5600, Total: 5600}, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	env := admin.Env{Data: data, Log: zerolog.Nop(), Now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tm := teatest.NewTestModel(t, New(ctx, Options{Reach: env.Connect, Loc: time.UTC, Recheck: 100 * time.Millisecond}), teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { tm.Quit(); tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second)) })
	waitScreen(t, tm, "read only", "The agent is not running: showing the store file, read only.", "+********0001", "Rs56")
	keys(tm, "enter", "a")
	waitScreen(t, tm, "The agent is not running. Start it (tokri run), then try again.")

	// The console looks at the file only a moment at a time: an agent can
	// take it.
	again, err := store.Open(path, store.Options{Log: zerolog.Nop()})
	if err != nil {
		t.Fatalf("the console holds the store file: %v", err)
	}
	again.Close()
}

func TestFrameFollowsTheTerminalAndNoColor(t *testing.T) {
	testtime.NoLeaks(t)
	m := goldenModel(English, false)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	checkFrame(t, ansi.Strip(m.View()), 120, 40, false)
	if !strings.Contains(m.View(), "Rs783") {
		t.Error("a larger terminal lost the orders")
	}
	// An error shows in red, unless colour is off (NO_COLOR).
	red := regexp.MustCompile(`\x1b\[[0-9;]*31[;m]`)
	m.fail(admin.ErrNoAgent)
	if v := m.View(); red.MatchString(v) {
		t.Errorf("colour codes with Color false: %q", v)
	}
	c := New(context.Background(), Options{Color: true})
	c.fail(admin.ErrNoAgent)
	if v := c.View(); !red.MatchString(v) {
		t.Errorf("no red error with Color true: %q", v)
	}
}

// An agent that goes away while the console watches it is reported in
// plain words within seconds.
func TestAgentGoingAwayIsSaid(t *testing.T) {
	testtime.NoLeaks(t)
	r := startShop(t)
	tm := startConsole(t, r, Options{Recheck: time.Second})
	waitScreen(t, tm, "No open orders.", "Modem")
	r.stopAdmin()
	// The store file is still the running agent's: the console can
	// neither ask the agent nor read the file.
	waitScreen(t, tm, "The agent holds the store but does not answer")
}

func TestRejectWithATypedReasonTellsTheShopperWhy(t *testing.T) {
	testtime.NoLeaks(t)
	r := startShop(t)
	tm := startConsole(t, r, Options{})
	waitScreen(t, tm, "No open orders.")
	r.placeOrder(testkit.Shopper)
	waitScreen(t, tm, "* 1 new")
	keys(tm, "enter", "r")
	waitScreen(t, tm, "Why reject? The shopper is told:", "t type a reason")
	keys(tm, "t")
	keys(tm, strings.Split("no atta till Monday", "")...)
	keys(tm, "enter")
	waitScreen(t, tm, "reject: SMS to +********0001", "no atta till Monday", "y send")
	keys(tm, "y")
	got := r.waitSent(1)
	if !strings.Contains(got[0].Text, "no atta till Monday") {
		t.Fatalf("the shopper got %q, without the reason", got[0].Text)
	}
	waitScreen(t, tm, ": Rejected.")
}

// An unreadable message the operator has looked at goes with one key.
func TestDismissUnreadableWithOneKey(t *testing.T) {
	testtime.NoLeaks(t)
	r := startShop(t)
	res, err := r.db.Intake([]byte("+CMS ERROR: 500"), r.clock.Now())
	if err != nil || res.Outcome != store.OutcomeUndecodable {
		t.Fatalf("intake = %+v, %v", res, err)
	}
	tm := startConsole(t, r, Options{})
	waitScreen(t, tm, "No open orders.")
	keys(tm, "tab", "tab", "u")
	// The panel's heading comes before its list: d waits for the row.
	waitScreen(t, tm, "Messages no decoder could read", "d dismiss", hex.EncodeToString([]byte("+CMS ERROR")))
	keys(tm, "d")
	waitScreen(t, tm, fmt.Sprintf("Unreadable message %d dismissed.", res.ID))
	if left, err := r.db.Undecodable(); err != nil || len(left) != 0 {
		t.Fatalf("after dismiss the store keeps %+v, %v", left, err)
	}
}

// A SIM that asks for its PIN after the modem restarts is named on the
// bar, from the modem's own answer to AT+CPIN?, though the store has not
// changed.
func TestStatusBarShowsALockedSIM(t *testing.T) {
	r := startShop(t)
	// Nothing changes in the store: the bar follows the modem all the
	// same, once a watch has waited its time.
	tm := startConsole(t, r, Options{Wait: time.Second})
	waitScreen(t, tm, "No open orders.", "SIM ok")
	pin := "1234"
	if err := r.vmc.SetSIM(r.ctx, vmodem.SIM{PIN: &pin}); err != nil {
		t.Fatal(err)
	}
	if err := r.vmc.Reboot(r.ctx); err != nil {
		t.Fatal(err)
	}
	waitScreen(t, tm, "SIM PIN needed")
}
