package ussd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/ussd"
)

// A step without a session or a usable phone, or from the shop's own
// number, is refused and changes nothing.
func TestBadSteps(t *testing.T) {
	h := newHarness(t, "")
	for _, req := range []ussd.Request{
		{Phone: testkit.Shopper, Kind: ussd.Begin},
		{Session: "s", Kind: ussd.Begin},
		{Session: "s", Phone: "12", Kind: ussd.Begin},
		{Session: "s", Phone: testkit.OwnSIM, Kind: ussd.Begin},
	} {
		if _, err := h.eng.Step(context.Background(), req); !errors.Is(err, ErrBadRequest) {
			t.Errorf("step %+v: %v, want ErrBadRequest", req, err)
		}
	}
}

// The network's end of a session shows nothing and keeps the checkout on
// record, so the next dial offers it back.
func TestEndKeepsCheckout(t *testing.T) {
	h := newHarness(t, "")
	for _, in := range []string{"", "2", "atta", "2", "1", "1"} {
		req := ussd.Request{Session: "s1", Phone: testkit.Shopper, Kind: ussd.Continue, Input: in}
		if in == "" {
			req.Kind = ussd.Begin
		}
		h.step(req)
	}
	rep, _ := h.step(ussd.Request{Session: "s1", Phone: testkit.Shopper, Kind: ussd.End})
	if rep.Text != "" || !rep.End {
		t.Errorf("end answered %+v", rep)
	}
	rep, _ = h.step(ussd.Request{Session: "s2", Phone: testkit.Shopper, Kind: ussd.Begin})
	if !strings.Contains(rep.Text, "1 Continue") {
		t.Errorf("next dial: %q, want the checkout offered back", rep.Text)
	}
}

// Whatever a shopper types, in whatever order, every screen fits and
// nothing fails.
func FuzzSession(f *testing.F) {
	f.Add("1|1|98|98|0|2|5|1|4|1|1|1")
	f.Add("2|chini|1|99|1|2|2|1|0|0|0|3|2|1|2")
	f.Add("6|5|1|1|98|0|0|4|2|12 MG Road|2|1")
	f.Add("3|2|1|1|0|1|2|x|-1|1000000|1")
	// One store for all runs (opening one per run would be most of the
	// time); each run is another shopper.
	h := newHarness(f, "")
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, script string) {
		h.t = t
		phone := fmt.Sprintf("+9198%08d", n.Add(1))
		rep, err := h.eng.Step(context.Background(), ussd.Request{Session: "f", Phone: phone, Kind: ussd.Begin})
		for i, in := range strings.Split(script, "|") {
			if err != nil {
				t.Fatal(err)
			}
			if rep.End {
				break
			}
			rep, err = h.eng.Step(context.Background(), ussd.Request{Session: "f", Phone: phone, Kind: ussd.Continue, Input: in, Seq: i + 1})
			if !ussd.Fits(rep.Text) || rep.Text == "" {
				t.Fatalf("after %q: screen %q", in, rep.Text)
			}
		}
	})
}

// Category screens name categories as the shopper's SMS replies do: the
// catalog's own Hindi name where it has one, else the usual name, in
// Latin letters for Hinglish; the category's items are headed the same.
func TestCategoryNames(t *testing.T) {
	h := newHarness(t, "")
	items := testkit.ExampleCatalog(t)
	for i := range items {
		if items[i].Category == "Dal" {
			items[i].CategoryHi = "दलहन"
		}
	}
	testkit.ImportShop(t, h.db, "Sharma Kirana", items)
	for _, tc := range []struct {
		lang       protocol.Lang
		list, head string
	}{
		{protocol.Hinglish, "1 Atta-Chawal\n2 Dal\n3 Tel-Ghee", "Dal:"},
		{protocol.Hindi, "1 आटा-चावल\n2 दलहन\n3 तेल-घी", "दलहन:"},
	} {
		from := testkit.Shopper
		testkit.Update(t, h.db, func(tx *bbolt.Tx) error {
			p, _, err := shoppers.Get(tx, from)
			if err != nil {
				return err
			}
			p.Number, p.Lang = from, tc.lang
			return shoppers.Put(tx, p)
		})
		sess := "c-" + string(tc.lang)
		h.step(ussd.Request{Session: sess, Phone: from, Kind: ussd.Begin})
		rep, _ := h.step(ussd.Request{Session: sess, Phone: from, Kind: ussd.Continue, Input: "1"})
		if !strings.Contains(rep.Text, tc.list) {
			t.Errorf("%s categories:\n%s\nwant %q", tc.lang, rep.Text, tc.list)
		}
		rep, _ = h.step(ussd.Request{Session: sess, Phone: from, Kind: ussd.Continue, Input: "2"})
		if !strings.HasPrefix(rep.Text, tc.head) {
			t.Errorf("%s items:\n%s\nwant head %q", tc.lang, rep.Text, tc.head)
		}
		if n, limit := ussd.Length(rep.Text); n > limit {
			t.Errorf("%s items: %d characters, limit %d", tc.lang, n, limit)
		}
	}
}
