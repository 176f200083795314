package central

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/agent/admin"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/hardware/vmodem"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
	"github.com/tokrihq/tokri/protocol/ussd"
	"github.com/tokrihq/tokri/protocol/ussd/gateway"
)

// handset dials a callback URL the way one aggregator format does, and
// checks that every screen fits a handset.
type handset struct {
	t *testing.T
	gateway.Call
}

// newHandset dials from phone, as the aggregator sends it.
func newHandset(t *testing.T, f gateway.Format, url, phone string) *handset {
	return &handset{t: t, Call: gateway.Call{Format: f, URL: url, Request: ussd.Request{Phone: phone, Code: "*384*7#"}}}
}

func (h *handset) screen(rep ussd.Reply, err error) ussd.Reply {
	h.t.Helper()
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Logf("%s screen: %q", h.Format.Name(), rep.String())
	if !ussd.Fits(rep.Text) {
		h.t.Errorf("screen over the limit: %q", rep.Text)
	}
	return rep
}

func (h *handset) dial(ctx context.Context, session string) ussd.Reply {
	h.t.Helper()
	h.Session = session
	return h.screen(h.Dial(ctx))
}

func (h *handset) press(ctx context.Context, in string) ussd.Reply {
	h.t.Helper()
	return h.screen(h.Press(ctx, in))
}

// TestUSSDThroughCentral: aggregator callbacks in both formats reach
// tokri-central, which relays them to the agent behind it on the virtual
// modem over the connection the agent keeps open; a USSD order is placed,
// confirmed by SMS through the modem, and synced to central once. Forged
// callbacks are refused, and with the agent stopped the shopper is told
// to SMS the store.
func TestUSSDThroughCentral(t *testing.T) {
	ctx, r := newRig(t, "tokri-ussd-")
	urls := map[string]string{}
	for _, f := range []string{"africastalking", "hubtel"} {
		urls[f] = strings.TrimSpace(must(t, r.bin.central, "ussd", "url", "--data", r.cdata, "--store", storeID, "--format", f, "--base", "http://central.invalid"))
		if !strings.HasPrefix(urls[f], "http://central.invalid/ussd/"+f+"/"+storeID+"/") {
			t.Fatalf("ussd url printed %q", urls[f])
		}
	}
	serve, addr := r.serveCentral(ctx, t)
	base := "http://" + addr
	for f, u := range urls {
		urls[f] = strings.Replace(u, "http://central.invalid", base, 1)
	}

	modemLink, phone := r.startModem(ctx, t)
	r.writeConfig(t, modemLink, base, "5s")
	// The store's own number, which central tells shoppers to text.
	b, err := os.ReadFile(r.cfg)
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
	if err := os.WriteFile(r.cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}

	agent := start(t, r.dir, "agent", r.bin.tokri, "run", "--config", r.cfg)
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
		h := newHandset(t, at, u, shopper)
		h.Session = "forged"
		var refused *gateway.StatusError
		if _, err := h.Dial(ctx); !errors.As(err, &refused) || refused.Code != http.StatusNotFound {
			t.Errorf("forged callback %s answered %v, want 404", u, err)
		}
	}

	// Africa's Talking: search, add, deliver to a typed address, order.
	shopAT := newHandset(t, at, urls["africastalking"], shopper)
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
	if err := shopAT.HangUp(ctx); err != nil {
		t.Errorf("end-of-session notification: %v", err)
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
	shopHB := newHandset(t, hb, urls["hubtel"], "0"+strings.TrimPrefix(shopper, "+91"))
	shopHB.dial(ctx, "hubtel-1")
	if rep := shopHB.press(ctx, "5"); !strings.Contains(rep.Text, id) {
		t.Errorf("hubtel My order screen %q does not name %s", rep.Text, id)
	}

	// The terminal handset, through central in Hubtel's format.
	dial := exec.CommandContext(ctx, r.bin.tokri, "dial", "--url", urls["hubtel"], "--format", "hubtel", "--phone", strings.TrimPrefix(shopper, "+91"))
	dial.Stdin = strings.NewReader("5\nq\n")
	screens, err := dial.CombinedOutput()
	if err != nil || !strings.Contains(string(screens), "┌") || !strings.Contains(string(screens), id) || !strings.Contains(string(screens), "Hung up") {
		t.Errorf("tokri dial: %v\n%s", err, screens)
	}

	// The order syncs to central.
	r.waitStatus(ctx, t, "the order synced", func(s admin.Status) bool {
		return s.Sync.Pending == 0 && !s.Sync.LastSuccess.IsZero()
	})

	// The balance: in tokri status, and told to the operator once.
	r.waitStatus(ctx, t, "the balance read", func(s admin.Status) bool {
		return s.Balance != nil && s.Balance.Reading != nil
	})
	if st := must(t, r.bin.tokri, "status", "--data", r.adata); !strings.Contains(st, "Rs. 12.50 (LOW), SMS pack used up") {
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
		rep := h.dial(ctx, "away-"+h.Format.Name())
		if !rep.End || !strings.Contains(rep.Text, "SMS") || !strings.Contains(rep.Text, "+919800000000") || strings.Contains(rep.Text, "\n") {
			t.Errorf("%s with the agent away: %q, want END and one line to SMS +919800000000", h.Format.Name(), rep.String())
		}
	}

	serve.stop(t)
	r.centralOrder(t, id)
}
