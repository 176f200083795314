package central

import (
	"cmp"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/protocol/ussd"
	"github.com/tokrihq/tokri/protocol/ussd/gateway"
	"github.com/tokrihq/tokri/sync/server"
)

// handset dials a callback URL the way one aggregator format does.
type handset struct {
	t       *testing.T
	f       gateway.Format
	url     string
	session string
	inputs  []string
	phone   string // as the aggregator sends it; shopper when empty
}

func (h *handset) step(ctx context.Context, req ussd.Request) (ussd.Reply, int) {
	h.t.Helper()
	req.Session, req.Phone, req.Code = h.session, cmp.Or(h.phone, shopper), "*384*7#"
	r, err := h.f.NewRequest(ctx, h.url, req, h.inputs)
	if err != nil {
		h.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		h.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return ussd.Reply{}, resp.StatusCode
	}
	rep, err := h.f.ReadReply(resp)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Logf("%s screen: %q", h.f.Name(), rep.String())
	if !ussd.Fits(rep.Text) {
		h.t.Errorf("screen over the limit: %q", rep.Text)
	}
	return rep, http.StatusOK
}

func (h *handset) dial(ctx context.Context, session string) ussd.Reply {
	h.session, h.inputs = session, nil
	rep, code := h.step(ctx, ussd.Request{Kind: ussd.Begin})
	if code != http.StatusOK {
		h.t.Fatalf("dial answered %d", code)
	}
	return rep
}

func (h *handset) press(ctx context.Context, in string) ussd.Reply {
	h.inputs = append(h.inputs, in)
	rep, code := h.step(ctx, ussd.Request{Kind: ussd.Continue, Input: in, Seq: len(h.inputs)})
	if code != http.StatusOK {
		h.t.Fatalf("%q answered %d", in, code)
	}
	return rep
}

// TestUSSDThroughCentral: aggregator callbacks in both formats reach
// tokri-central, which relays them to the agent behind it on the virtual
// modem over the connection the agent keeps open; a USSD order is placed,
// confirmed by SMS through the modem, and synced to central once. Forged
// callbacks are refused, and with the agent stopped the shopper is told
// to SMS the store.
func TestUSSDThroughCentral(t *testing.T) {
	dir := keptDir(t, "tokri-ussd-")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin := build(t, dir)
	cdata, adata := filepath.Join(dir, "central"), filepath.Join(dir, "agent")

	secret := addStore(t, bin, cdata)
	urls := map[string]string{}
	for _, f := range []string{"africastalking", "hubtel"} {
		urls[f] = strings.TrimSpace(must(t, bin.central, "ussd", "url", "--data", cdata, "--store", storeID, "--format", f, "--base", "http://central.invalid"))
		if !strings.HasPrefix(urls[f], "http://central.invalid/ussd/"+f+"/"+storeID+"/") {
			t.Fatalf("ussd url printed %q", urls[f])
		}
	}
	serve, addr := serveCentral(ctx, t, bin, dir, cdata)
	base := "http://" + addr
	for f, u := range urls {
		urls[f] = strings.Replace(u, "http://central.invalid", base, 1)
	}

	modemLink, phone := startModem(ctx, t, bin, dir, adata)
	cfg := filepath.Join(dir, "tokri.toml")
	writeConfig(t, cfg, modemLink, adata, base, secret, "5s")
	// The store's own number, which central tells shoppers to text.
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// And the SIM's balance, checked through the modem's USSD: low, and
	// the SMS pack used up.
	text := strings.Replace(string(b), "[agent]\n", "[agent]\nown_number = \"+919800000000\"\n", 1)
	text = strings.Replace(text, "[modem]\n", "[modem]\nbalance_code = \"*121#\"\nbalance_low = 20\n", 1)
	text = strings.Replace(text, "[shop]\n", "[shop]\noperators = [\"9800000009\"]\noperator_pin = \"4321\"\n", 1)
	if err := phone.SetUSSD(ctx, vmodem.USSD{Code: "*121#", Reply: "Main Bal:Rs.12.50, 0 SMS left"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}

	agent := start(t, dir, "agent", bin.tokri, "run", "--config", cfg)
	serve.waitLine(ctx, t, "agent connected for ussd")

	// Forged callbacks: a wrong token, another store's path. Refused, and
	// nothing reaches the agent.
	at, _ := gateway.Lookup("africastalking")
	forged := []string{
		base + "/ussd/africastalking/" + storeID + "/" + strings.Repeat("0", 32),
		base + "/ussd/africastalking/other-store/" + urls["africastalking"][strings.LastIndex(urls["africastalking"], "/")+1:],
		base + "/ussd/nosuchformat/" + storeID + "/" + urls["africastalking"][strings.LastIndex(urls["africastalking"], "/")+1:],
	}
	for _, u := range forged {
		h := &handset{t: t, f: at, url: u, session: "forged"}
		if _, code := h.step(ctx, ussd.Request{Kind: ussd.Begin}); code != http.StatusNotFound {
			t.Errorf("forged callback %s answered %d, want 404", u, code)
		}
	}

	// Africa's Talking: search, add, deliver to a typed address, order.
	shopAT := &handset{t: t, f: at, url: urls["africastalking"]}
	if rep := shopAT.dial(ctx, "ATUid_1"); rep.End || !strings.Contains(rep.Text, "1 Shop") {
		t.Fatalf("first screen %q", rep.String())
	}
	shopAT.press(ctx, "2")
	shopAT.press(ctx, "atta")
	shopAT.press(ctx, "2")
	shopAT.press(ctx, "2")
	shopAT.press(ctx, "1")
	shopAT.press(ctx, "1")
	shopAT.press(ctx, "12 MG Road")
	shopAT.press(ctx, "1")
	rep := shopAT.press(ctx, "1")
	m := regexp.MustCompile(`Order ([` + orders.IDAlphabet + `]{5}) placed`).FindStringSubmatch(rep.Text)
	if !rep.End || m == nil {
		t.Fatalf("last screen %q, want END with the order", rep.String())
	}
	id := m[1]
	// Its end-of-session notification is taken and answered 200.
	if _, code := shopAT.step(ctx, ussd.Request{Kind: ussd.End}); code != http.StatusOK {
		t.Errorf("end-of-session notification answered %d", code)
	}

	// The confirmation also went by SMS through the modem.
	testtime.Until(t, "the SMS confirmation", func() bool {
		sent, _ := phone.Sent(ctx)
		for _, s := range sent {
			if s.To == shopper && strings.Contains(s.Text, id) {
				return true
			}
		}
		return false
	})

	// Hubtel, which sends the number in local form: the same shopper
	// sees the order under "My order".
	hb, _ := gateway.Lookup("hubtel")
	shopHB := &handset{t: t, f: hb, url: urls["hubtel"], phone: "0" + strings.TrimPrefix(shopper, "+91")}
	shopHB.dial(ctx, "hubtel-1")
	if rep := shopHB.press(ctx, "5"); !strings.Contains(rep.Text, id) {
		t.Errorf("hubtel My order screen %q does not name %s", rep.Text, id)
	}

	// The terminal handset, through central in Hubtel's format.
	dial := exec.CommandContext(ctx, bin.tokri, "dial", "--url", urls["hubtel"], "--format", "hubtel", "--phone", strings.TrimPrefix(shopper, "+91"))
	dial.Stdin = strings.NewReader("5\nq\n")
	screens, err := dial.CombinedOutput()
	if err != nil || !strings.Contains(string(screens), "┌") || !strings.Contains(string(screens), id) || !strings.Contains(string(screens), "Hung up") {
		t.Errorf("tokri dial: %v\n%s", err, screens)
	}

	// The order syncs to central.
	waitStatus(ctx, t, bin, adata, "the order synced", func(s admin.Status) bool {
		return s.Sync.Pending == 0 && !s.Sync.LastSuccess.IsZero()
	})

	// The balance: in tokri status, and told to the operator once.
	waitStatus(ctx, t, bin, adata, "the balance read", func(s admin.Status) bool {
		return s.Balance != nil && s.Balance.Reading != nil
	})
	if st := must(t, bin.tokri, "status", "--data", adata); !strings.Contains(st, "Rs. 12.50 (LOW), SMS pack used up") {
		t.Errorf("tokri status shows no low balance:\n%s", st)
	}
	testtime.Until(t, "the operator's balance alert", func() bool {
		sent, _ := phone.Sent(ctx)
		for _, s := range sent {
			if s.To == "+919800000009" && strings.Contains(s.Text, "below Rs. 20.00") && strings.Contains(s.Text, "SMS pack has run out") {
				return true
			}
		}
		return false
	})

	// The agent goes away: central ends the session with the SMS hint.
	agent.stop(t)
	testtime.Until(t, "central to see the agent go", func() bool { return strings.Contains(serve.Output(t), "agent disconnected") })
	for _, h := range []*handset{shopAT, shopHB} {
		rep := h.dial(ctx, "away-"+h.f.Name())
		if !rep.End || !strings.Contains(rep.Text, "SMS") || !strings.Contains(rep.Text, "+919800000000") || strings.Contains(rep.Text, "\n") {
			t.Errorf("%s with the agent away: %q, want END and one line to SMS +919800000000", h.f.Name(), rep.String())
		}
	}

	serve.stop(t)
	var central []server.Order
	mustJSON(t, &central, bin.central, "orders", "list", "--data", cdata, "--store", storeID, "--json")
	seen := 0
	for _, o := range central {
		if o.ID == id {
			seen++
		}
	}
	if len(central) != 1 || seen != 1 {
		t.Fatalf("central has %d orders, %d of them %s; want %s exactly once", len(central), seen, id, id)
	}
}
