package shop

import (
	"regexp"
	"strings"
	"testing"

	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/modem/pdu"
)

// Wrong PINs sent from a spoofed operator number once locked the real
// operator out of SMS control for an hour. The SMS that tells of the lock
// goes to the operator's own phone with an unlock code: PIN and code
// together work at once; the PIN alone, or a wrong code, still get nothing
// while the lock lasts.
func TestSpoofedPINsCannotLockTheOperatorOut(t *testing.T) {
	h := newHarness(t, testkit.ShopConfig(t, ""), testkit.ExampleCatalog(t))
	var lockMsg string
	for i, pin := range []string{"1111", "2222", "3333"} {
		out := h.send(operator, "OP "+pin+" PAUSE") // the spoofer
		if len(out) != 1 {
			t.Fatalf("wrong PIN %d answered %+v", i+1, out)
		}
		lockMsg = out[0].Text
	}
	code := regexp.MustCompile(`send your PIN then (\d{6})`).FindStringSubmatch(lockMsg)
	if code == nil {
		t.Fatalf("the lock SMS has no unlock code: %q", lockMsg)
	}
	if n, enc := pdu.Count(lockMsg); n != 1 || enc != "gsm7" {
		t.Errorf("the lock SMS costs %d %s segments, want 1 gsm7", n, enc)
	}
	for _, msg := range []string{"OP 4321 ORDERS", "OP 4321000000 ORDERS", "OP 1111" + code[1] + " ORDERS"} {
		if out := h.send(operator, msg); len(out) != 0 {
			t.Errorf("%q answered while locked: %+v", msg, out)
		}
	}
	out := h.send(operator, "OP 4321"+code[1]+" ORDERS") // the real operator
	if len(out) != 1 || !strings.Contains(out[0].Text, "No new orders") {
		t.Fatalf("PIN and code answered %+v, want the orders", out)
	}
	if out := h.send(operator, "OP 4321 ORDERS"); len(out) != 1 || !strings.Contains(out[0].Text, "No new orders") {
		t.Errorf("after the unlock the PIN alone answered %+v", out)
	}
}
