package corpus

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/config"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shop"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// A corpus file holds conversations, each starting with a header:
//
//	== hinglish: what it tries        language (english, hinglish, hindi) and a title
//	past delivery 4 Gandhi Nagar | ATTA5 1, SALT1 2
//	                                  an earlier, delivered order (address kept)
//	> 2 kg chini bhej do              what the shopper sends ("\n" for a line break)
//	< none                            the message before gets no SMS at all
//	op accept                         the operator moves the latest order on
//	advance 2h                        time passes
//	= delivery 14 Shanti Nagar | SUGAR1 2
//	= pickup | ATTA5 1                an order that must be live at the end
//	= none                            no order may be live at the end
//
// A conversation is exactly right when the live orders it placed are the
// expected ones (lines, quantities, mode and address) and every "< none"
// held.

// Floors the corpus must keep: the share of conversations exactly right,
// on the tuned and the held-out part together, and the wrong orders placed
// without the shopper seeing them. Before the shop learnt from this corpus
// it got 30 of 207 right (tuned 20/157, held-out 10/50) and placed 5 wrong
// orders, none of them shown before YES. Now every order is shown before
// YES, and the shop must get at least 97% right.
const (
	minRight  = 0.97
	maxUnseen = 0
)

var showWrong = flag.Bool("corpus.wrong", false, "log the tuned conversations that are not right, with their transcripts")

type conversation struct {
	file, title, lang string
	heldOut           bool
	steps             []step
	want              []want
}

type step struct {
	kind, arg string // ">", "<none", "op", "advance", "past"
	line      int
}

// want is one order a conversation must end with.
type want struct {
	mode, address string
	lines         map[string]int
}

func (w want) String() string {
	var ls []string
	for k, v := range w.lines {
		ls = append(ls, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(ls)
	return strings.TrimSpace(w.mode+" "+w.address) + " | " + strings.Join(ls, ", ")
}

func parseWant(s string) (want, error) {
	head, body, ok := strings.Cut(s, "|")
	if !ok {
		return want{}, fmt.Errorf("no '|' in %q", s)
	}
	mode, addr, _ := strings.Cut(strings.TrimSpace(head), " ")
	w := want{mode: mode, address: strings.TrimSpace(addr), lines: map[string]int{}}
	if mode != orders.ModeDelivery && mode != orders.ModePickup {
		return want{}, fmt.Errorf("mode %q", mode)
	}
	for _, l := range strings.Split(body, ",") {
		f := strings.Fields(l)
		if len(f) != 2 {
			return want{}, fmt.Errorf("line %q", l)
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			return want{}, fmt.Errorf("line %q: %w", l, err)
		}
		w.lines[f[0]] += n
	}
	return w, nil
}

func load(t *testing.T) []conversation {
	t.Helper()
	var all []conversation
	for _, part := range []string{"tuned", "heldout"} {
		files, err := filepath.Glob(filepath.Join("testdata", part, "*.txt"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no corpus files in testdata/%s: %v", part, err)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var cur *conversation
			for i, l := range strings.Split(string(src), "\n") {
				l = strings.TrimRight(l, " \t\r")
				at := fmt.Sprintf("%s:%d", f, i+1)
				switch {
				case l == "" || strings.HasPrefix(l, "#"):
					continue
				case strings.HasPrefix(l, "== "):
					lang, title, _ := strings.Cut(strings.TrimPrefix(l, "== "), ":")
					if !slices.Contains([]string{"english", "hinglish", "hindi"}, lang) {
						t.Fatalf("%s: language %q", at, lang)
					}
					all = append(all, conversation{file: at, title: strings.TrimSpace(title), lang: lang, heldOut: part == "heldout"})
					cur = &all[len(all)-1]
					continue
				case cur == nil:
					t.Fatalf("%s: line before the first header", at)
				}
				switch {
				case l == ">" || strings.HasPrefix(l, "> "):
					cur.steps = append(cur.steps, step{kind: ">", arg: strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(l, ">"), " "), `\n`, "\n"), line: i + 1})
				case l == "< none":
					cur.steps = append(cur.steps, step{kind: "<none", line: i + 1})
				case strings.HasPrefix(l, "op "), strings.HasPrefix(l, "advance "), strings.HasPrefix(l, "past "):
					k, a, _ := strings.Cut(l, " ")
					cur.steps = append(cur.steps, step{kind: k, arg: a, line: i + 1})
				case l == "= none":
					cur.want = []want{}
				case strings.HasPrefix(l, "= "):
					w, err := parseWant(strings.TrimPrefix(l, "= "))
					if err != nil {
						t.Fatalf("%s: %v", at, err)
					}
					cur.want = append(cur.want, w)
				default:
					t.Fatalf("%s: cannot read %q", at, l)
				}
			}
		}
	}
	for _, c := range all {
		if c.want == nil {
			t.Fatalf("%s: no expected outcome (= ...)", c.file)
		}
	}
	return all
}

// shopConfig is the golden conversations' shop, open all day and with no
// minimum order, so that what is scored is whether the shop understood,
// not its rules.
func shopConfig(t *testing.T) config.Shop {
	c := testkit.ShopConfig(t, "")
	c.Opens, c.Closes, c.MinOrder = "00:00", "00:00", config.Rupees{Set: true}
	return c
}

// result is how one conversation went.
type result struct {
	right       bool
	why         string
	wrongPlaced int // live orders not expected
	unseen      int // of those, placed without every line on the summary before YES
	placedBlind int // orders (right or wrong) placed without every line shown
	in, out     int // SMS in, segments out to the shopper
	completed   bool
	transcript  []string
}

const shopperNumber = "+919811120000"

func run(t *testing.T, items []catalog.Item, byID map[string]catalog.Item, c conversation) result {
	clk := testtime.NewClock(testkit.ShopStart)
	log := zerolog.Nop()
	db := testkit.OpenStore(t, store.Options{Now: clk.Now, Log: log})
	testkit.ImportShop(t, db, "Sharma Kirana", items)
	loc, _ := time.LoadLocation("Asia/Kolkata")
	s := shop.New(shop.Options{Config: shopConfig(t), Cache: catalog.NewCache(), Log: log, Now: clk.Now, OwnNumber: testkit.OwnSIM, Location: loc})

	var (
		r       result
		seq     uint64
		past    = map[string]bool{}
		last    []string // what the shopper was shown last
		nOrders int
		blind   = map[string]bool{} // orders placed without every line shown
	)
	drain := func() []store.Outbound { return testkit.Drain(t, db, clk.Now()) }
	live := func() []orders.Order {
		var os []orders.Order
		err := db.View(func(tx *store.Tx) error {
			var err error
			os, err = orders.List(tx.Bolt(), orders.Filter{Shopper: shopperNumber})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return os
	}
	fail := func(format string, args ...any) {
		if r.why == "" {
			r.why = fmt.Sprintf(format, args...)
		}
	}
	var prevOut int
	for _, st := range c.steps {
		switch st.kind {
		case "past":
			w, err := parseWant(st.arg)
			if err != nil {
				t.Fatalf("%s: %v", c.file, err)
			}
			err = db.Update(func(tx *store.Tx) error {
				o := orders.Order{Shopper: shopperNumber, Mode: w.mode, Address: w.address, Payment: orders.PayCOD}
				for sku, n := range w.lines {
					it := byID[sku]
					o.Lines = append(o.Lines, orders.Line{SKU: sku, Name: it.Name, NameHi: it.NameHi, Unit: it.Unit, Qty: n, Price: it.Price})
					o.Subtotal += it.Price * int64(n)
				}
				o.Total = o.Subtotal
				placed, err := orders.Place(tx, o, clk.Now().Add(-48*time.Hour))
				if err != nil {
					return err
				}
				past[placed.ID] = true
				for _, st := range []orders.State{orders.Accepted, orders.Packed, orders.Dispatched, orders.Delivered} {
					if _, err := orders.TransitionQuiet(tx, placed.ID, st, "", orders.ByOperator, clk.Now().Add(-47*time.Hour)); err != nil {
						return err
					}
				}
				p := shoppers.Profile{Number: shopperNumber, Address: w.address, LastOrder: placed.ID, FirstSeen: clk.Now().Add(-72 * time.Hour), LastSeen: clk.Now().Add(-47 * time.Hour)}
				return shoppers.Put(tx.Bolt(), p)
			})
			if err != nil {
				t.Fatalf("%s: past order: %v", c.file, err)
			}
			nOrders = len(live())
		case "advance":
			d, err := time.ParseDuration(st.arg)
			if err != nil {
				t.Fatalf("%s: %v", c.file, err)
			}
			clk.Add(d)
		case "op":
			os := live()
			if len(os) == 0 {
				fail("line %d: no order for the operator to %s", st.line, st.arg)
				continue
			}
			to := map[string]orders.State{"accept": orders.Accepted, "pack": orders.Packed, "dispatch": orders.Dispatched, "deliver": orders.Delivered, "reject": orders.Rejected}[st.arg]
			if to == "" {
				t.Fatalf("%s: op %q", c.file, st.arg)
			}
			err := db.Update(func(tx *store.Tx) error {
				_, err := orders.Transition(tx, os[0].ID, to, "", orders.ByOperator, clk.Now())
				return err
			})
			if err != nil {
				fail("line %d: op %s: %v", st.line, st.arg, err)
			}
			prevOut = r.record(drain(), &last)
		case "<none":
			if prevOut > 0 {
				fail("line %d: an SMS went out where none should", st.line)
			}
		case ">":
			seq++
			clk.Add(time.Minute)
			in := store.Inbound{ID: seq, Channel: store.ChannelSMS, From: shopperNumber, Text: st.arg, Encoding: "gsm7", Parts: 1, SCTS: clk.Now(), ReceivedAt: clk.Now()}
			r.in++
			r.transcript = append(r.transcript, "> "+st.arg)
			shown := last
			if err := db.Update(func(tx *store.Tx) error { return s.Handle(tx, in) }); err != nil {
				t.Fatalf("%s line %d: %v", c.file, st.line, err)
			}
			prevOut = r.record(drain(), &last)
			os := live()
			if len(os) > nOrders {
				// A new order: was every line on what the shopper saw last?
				o := os[0]
				if !sawOrder(shown, o, byID) {
					r.placedBlind++
					blind[o.ID] = true
				}
				nOrders = len(os)
			}
		}
	}
	// The live orders this conversation placed against what was wanted.
	var got []orders.Order
	for _, o := range live() {
		if !past[o.ID] && o.State != orders.Cancelled && o.State != orders.Rejected {
			got = append(got, o)
		}
	}
	unmatched := slices.Clone(c.want)
	for _, o := range got {
		i := slices.IndexFunc(unmatched, func(w want) bool { return matches(w, o) })
		if i >= 0 {
			unmatched = slices.Delete(unmatched, i, i+1)
			continue
		}
		r.wrongPlaced++
		if blind[o.ID] {
			r.unseen++
		}
		fail("placed %s", describe(o))
	}
	for _, w := range unmatched {
		fail("missing %s", w)
	}
	r.right = r.why == ""
	r.completed = len(c.want) > 0 && r.right
	return r
}

// record keeps what went to the shopper and returns how many SMS did.
func (r *result) record(out []store.Outbound, last *[]string) int {
	n := 0
	var texts []string
	for _, o := range out {
		if o.To != shopperNumber {
			continue
		}
		n++
		r.out += o.Segments
		texts = append(texts, o.Text)
		r.transcript = append(r.transcript, "< "+strings.ReplaceAll(o.Text, "\n", " / "))
	}
	if n > 0 {
		*last = texts
	}
	return n
}

func describe(o orders.Order) string {
	w := want{mode: o.Mode, address: o.Address, lines: map[string]int{}}
	for _, l := range o.Lines {
		w.lines[l.SKU] += l.Qty
	}
	return w.String()
}

func matches(w want, o orders.Order) bool {
	if o.Mode != w.mode || o.Mode == orders.ModeDelivery && bareAddress(o.Address) != bareAddress(w.address) {
		return false
	}
	got := map[string]int{}
	for _, l := range o.Lines {
		got[l.SKU] += l.Qty
	}
	if len(got) != len(w.lines) {
		return false
	}
	for k, v := range w.lines {
		if got[k] != v {
			return false
		}
	}
	return true
}

// bareAddress is an address squashed, without a word in front that only
// says an address follows ("pata:", "ghar", "address").
func bareAddress(s string) string {
	f := strings.Fields(strings.ToLower(s))
	for len(f) > 1 {
		w := strings.TrimRight(f[0], ":-.,")
		if !slices.Contains([]string{"address", "addr", "pata", "पता", "ghar", "घर", "mera", "मेरा", "is", "hai", "है"}, w) {
			break
		}
		f = f[1:]
	}
	return squash(strings.Join(f, " "))
}

// squash compares addresses by their letters and digits only.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sawOrder reports whether the texts shown last before the order was
// placed name every line with its quantity and pack, and the address.
func sawOrder(shown []string, o orders.Order, byID map[string]catalog.Item) bool {
	s := squash(strings.Join(shown, " "))
	for _, l := range o.Lines {
		it := byID[l.SKU]
		name := squash(firstWord(it.Name))
		hi := squash(firstWord(it.NameHi))
		if !strings.Contains(s, name) && (hi == "" || !strings.Contains(s, hi)) {
			return false
		}
		if !strings.Contains(s, squash(it.Unit)) && !strings.Contains(s, squash(strings.ReplaceAll(it.Unit, "pcs", ""))) {
			return false
		}
		if !strings.Contains(s, strconv.Itoa(l.Qty)) {
			return false
		}
	}
	if o.Mode == orders.ModeDelivery {
		a := []rune(squash(o.Address))
		if len(a) > 8 {
			a = a[:8]
		}
		if !strings.Contains(s, string(a)) {
			return false
		}
	}
	return true
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// figures are the corpus's score.
type figures struct {
	n, right, wrongPlaced, unseen, blind int
	byLang                               map[string]*perOrder
}

type perOrder struct{ orders, in, out int }

func TestCorpus(t *testing.T) {
	items := testkit.ExampleCatalog(t)
	byID := map[string]catalog.Item{}
	for _, it := range items {
		byID[it.SKU] = it
	}
	convs := load(t)
	parts := map[bool]*figures{false: {byLang: map[string]*perOrder{}}, true: {byLang: map[string]*perOrder{}}}
	var wrong []string
	for _, c := range convs {
		for _, w := range c.want {
			for sku := range w.lines {
				if _, ok := byID[sku]; !ok {
					t.Fatalf("%s: no SKU %s in the catalog", c.file, sku)
				}
			}
		}
		r := run(t, items, byID, c)
		f := parts[c.heldOut]
		f.n++
		f.wrongPlaced += r.wrongPlaced
		f.unseen += r.unseen
		f.blind += r.placedBlind
		if r.right {
			f.right++
		} else if !c.heldOut {
			wrong = append(wrong, fmt.Sprintf("%s %s: %s\n    %s", c.file, c.title, r.why, strings.Join(r.transcript, "\n    ")))
		}
		if r.completed && len(c.want) == 1 {
			p := f.byLang[c.lang]
			if p == nil {
				p = &perOrder{}
				f.byLang[c.lang] = p
			}
			p.orders++
			p.in += r.in
			p.out += r.out
		}
	}
	if *showWrong {
		// Only the tuned part is shown: the held-out part is scored, never read.
		for _, w := range wrong {
			t.Log("not right: " + w)
		}
	}
	tot := figures{byLang: map[string]*perOrder{}}
	for _, held := range []bool{false, true} {
		f := parts[held]
		name := map[bool]string{false: "tuned", true: "held-out"}[held]
		t.Logf("corpus %-8s: %d/%d conversations exactly right (%.1f%%), wrong orders placed %d (unseen by the shopper %d), orders placed without every line shown %d",
			name, f.right, f.n, 100*float64(f.right)/float64(f.n), f.wrongPlaced, f.unseen, f.blind)
		tot.n += f.n
		tot.right += f.right
		tot.unseen += f.unseen
		for l, p := range f.byLang {
			q := tot.byLang[l]
			if q == nil {
				q = &perOrder{}
				tot.byLang[l] = q
			}
			q.orders += p.orders
			q.in += p.in
			q.out += p.out
		}
	}
	for _, l := range []string{"english", "hinglish", "hindi"} {
		if p := tot.byLang[l]; p != nil && p.orders > 0 {
			t.Logf("corpus %-8s: %d completed orders, %.2f SMS in and %.2f segments out per order", l, p.orders, float64(p.in)/float64(p.orders), float64(p.out)/float64(p.orders))
		}
	}
	if share := float64(tot.right) / float64(tot.n); share < minRight {
		t.Errorf("%d/%d conversations exactly right (%.1f%%), want at least %.0f%%", tot.right, tot.n, 100*share, 100*minRight)
	}
	if tot.unseen > maxUnseen {
		t.Errorf("%d wrong orders placed that the shopper did not see", tot.unseen)
	}
}
