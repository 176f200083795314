package ussd

import (
	"strings"
	"testing"

	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/protocol/ussd"
)

// Aggregators send the dialling number in local forms; each reaches the
// cart the same number's SMS filled, and what is added by USSD is in the
// cart the next SMS sees.
func TestLocalFormReachesSMSCart(t *testing.T) {
	for i, from := range []string{"09811110001", "9811110001", "919811110001", "+91 98111 10001"} {
		h := newHarness(t, "")
		h.sms(testkit.Shopper, "2 aashirvaad atta 5kg")
		rep, _ := h.step(ussd.Request{Session: "s" + from, Phone: from, Kind: ussd.Begin})
		if !strings.Contains(rep.Text, "3 Cart (1) Rs570") {
			t.Errorf("dial from %q: %q, want the SMS cart", from, rep.Text)
		}
		if i > 0 {
			continue
		}
		for _, in := range []string{"1", "1", "2", "1"} { // Shop, Staples, Aashirvaad Atta 5kg, 1
			rep, _ = h.step(ussd.Request{Session: "s" + from, Phone: from, Kind: ussd.Continue, Input: in})
		}
		out := h.sms(testkit.Shopper, "CART")
		if len(out) != 1 || !strings.Contains(out[0].Text, "Aashirvaad Atta 5kg x3 Rs855") {
			t.Errorf("SMS after the dial sees %+v, want 3 of the atta", out)
		}
	}
}
