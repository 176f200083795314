package balance

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// fakeUSSD answers the balance code with the next answer in the list.
type fakeUSSD struct {
	answers []string
	errs    []error
	codes   []string
}

func (f *fakeUSSD) run(_ context.Context, code string) (string, error) {
	f.codes = append(f.codes, code)
	a, err := f.answers[0], f.errs[0]
	f.answers, f.errs = f.answers[1:], f.errs[1:]
	return a, err
}

// The operators are told once when the balance falls below the amount
// and once when the SMS pack runs out; again only after a recharge; a
// failed check keeps the last reading and tells nobody.
func TestAlertsOncePerFall(t *testing.T) {
	clk := testtime.NewClock(testkit.ShopStart)
	db := testkit.OpenStore(t, store.Options{Now: clk.Now})
	f := &fakeUSSD{}
	step := func(answer string, err error) {
		f.answers, f.errs = append(f.answers, answer), append(f.errs, err)
	}
	c := New(Options{DB: db, USSD: f.run, Code: "*121#", Low: 2000, Operators: []string{"+919800000009"}, Now: clk.Now, Log: testkit.Log(t)})
	ctx := context.Background()

	cases := []struct {
		answer string
		err    error
		alerts []string // substrings of the alert, one per SMS; nil for none
	}{
		{"Main Bal:Rs.45.20, 100 SMS left", nil, nil},
		{"Main Bal:Rs.12.00, 40 SMS left", nil, []string{"balance Rs. 12.00 is below Rs. 20.00"}},
		{"Main Bal:Rs.11.00, 30 SMS left", nil, nil},
		{"", errors.New("no network"), nil},
		{"Main Bal:Rs.10.00. No SMS pack", nil, []string{"SMS pack has run out"}},
		{"Main Bal:Rs.210.00, 500 SMS left", nil, nil},
		{"Main Bal:Rs.5.00, 0 SMS left", nil, []string{"is below Rs. 20.00 and its SMS pack has run out"}},
	}
	for i, cs := range cases {
		step(cs.answer, cs.err)
		clk.Add(4 * time.Hour)
		err := c.Check(ctx)
		if (err != nil) != (cs.err != nil) {
			t.Fatalf("check %d: %v", i, err)
		}
		out := testkit.Drain(t, db, clk.Now())
		if len(out) != len(cs.alerts) {
			t.Fatalf("check %d (%q): %d alerts, want %d: %+v", i, cs.answer, len(out), len(cs.alerts), out)
		}
		for j, o := range out {
			if o.To != "+919800000009" || o.Priority != store.Notification || !strings.Contains(o.Text, cs.alerts[j]) {
				t.Errorf("check %d: alert %+v, want to the operator saying %q", i, o, cs.alerts[j])
			}
		}
	}
	st := c.Status()
	if st.Reading == nil || st.Reading.Amount != 500 || !st.Low || st.Reading.SMS != 0 {
		t.Errorf("status %+v", st)
	}
	if got := st.Line(); !strings.Contains(got, "Rs. 5.00 (LOW), SMS pack used up") {
		t.Errorf("status line %q", got)
	}
	if f.codes[0] != "*121#" {
		t.Errorf("ran %q", f.codes[0])
	}

	// A restarted agent shows the last reading before its first check.
	c2 := New(Options{DB: db, USSD: f.run, Code: "*121#", Now: clk.Now})
	rec, err := c2.load()
	if err != nil || rec.Reading == nil || rec.Reading.Amount != 500 || !rec.LowSent || !rec.OutSent {
		t.Fatalf("stored record %+v, %v", rec, err)
	}
}
