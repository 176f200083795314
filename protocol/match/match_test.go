package match

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tokrihq/tokri/protocol/size"
)

func TestFindKirana(t *testing.T) {
	items := loadKirana(t)
	x := New(items)
	inCategory := func(cat string) func(Item) bool { return func(it Item) bool { return it.Category == cat } }
	named := func(word string) func(Item) bool {
		return func(it Item) bool { return strings.Contains(strings.ToLower(it.Name), word) }
	}
	synonym := func(word string) func(Item) bool {
		return func(it Item) bool { return slices.Contains(strings.Fields(strings.Join(it.Synonyms, " ")), word) }
	}
	tests := []struct {
		query string
		want  func(Item) bool
		what  string
		sure  bool // the top hit is taken without a choice
	}{
		{"aata", named("atta"), "atta", false},
		{"chawal", named("rice"), "rice", false},
		{"cheeni", named("sugar"), "sugar", false},
		{"tel", named("oil"), "an oil", false},
		{"आटा", named("atta"), "atta", false},
		{"doodh", named("milk"), "milk", false},
		{"tel 1l", func(it Item) bool { return named("oil")(it) && it.Unit == "1 L" }, "a 1 L oil", false},
		{"chini", named("sugar"), "sugar", false},
		{"चीनी", named("sugar"), "sugar", false},
		{"सरसों तेल", named("mustard oil"), "mustard oil", false},
		{"sarso ka tel", named("mustard oil"), "mustard oil", false},
		{"dudh", named("milk"), "milk", false},
		{"arhar", named("toor"), "toor dal", false},
		{"aashirwad atta 5kg", func(it Item) bool { return it.Name == "Aashirvaad Atta" && it.Unit == "5 kg" }, "Aashirvaad 5 kg", true},
		{"ghee 500ml", func(it Item) bool { return named("ghee")(it) && it.Unit == "500 ml" }, "ghee 500 ml", true},
		{"ATTA10", func(it Item) bool { return it.SKU == "ATTA10" }, "by SKU", true},
		{"harpik", named("harpic"), "harpic", true},
		{"pepsodnt", named("pepsodent"), "pepsodent (typo)", true},
		{"maachis", named("matchbox"), "matchbox", true},
		{"parle g", named("parle-g"), "Parle-G", true},
		{"biskut", synonym("biscuit"), "a biscuit", false},
		{"मैगी", named("maggi"), "maggi", false},
		{"snacks", inCategory("Snacks"), "a snack", false},
		{"namkeen", synonym("namkeen"), "namkeen", false},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			r := x.Find(tc.query, 5)
			if !r.Found() {
				t.Fatalf("Find(%q) found nothing, want %s", tc.query, tc.what)
			}
			for _, h := range r.Hits {
				if h.Score < r.Hits[0].Score-0.05 { // only the top and its near ties
					break
				}
				if !tc.want(items[h.Item]) {
					t.Errorf("Find(%q) ranks %s %q near the top, want %s", tc.query, h.SKU, items[h.Item].Name, tc.what)
				}
			}
			if tc.sure && !r.Sure() {
				t.Errorf("Find(%q) not sure: %v", tc.query, r.Hits)
			}
			if len(r.Unknown) > 0 {
				t.Errorf("Find(%q) unknown words %q", tc.query, r.Unknown)
			}
		})
	}
}

func TestFindUnknownAndNoise(t *testing.T) {
	x := New(loadKirana(t))
	tests := []struct {
		query   string
		found   bool
		unknown []string
		size    size.Size
	}{
		{"", false, nil, size.Size{}},
		{"   ,,, !!", false, nil, size.Size{}},
		{"5kg", false, nil, size.Size{Amount: 5000, Unit: size.Gram}},
		{"12 500", false, nil, size.Size{}},
		{"xkcd qrst", false, []string{"xkcd", "qrst"}, size.Size{}},
		{"atta zzyzx", true, []string{"zzyzx"}, size.Size{}},
		{"please atta chahiye", true, nil, size.Size{}},
		{"🙏🙏", false, []string{}, size.Size{}},
	}
	for _, tc := range tests {
		r := x.Find(tc.query, 0)
		if r.Found() != tc.found {
			t.Errorf("Find(%q).Found() = %v, want %v (%v)", tc.query, r.Found(), tc.found, r.Hits)
		}
		if len(r.Unknown) != len(tc.unknown) || len(tc.unknown) > 0 && !slices.Equal(r.Unknown, tc.unknown) {
			t.Errorf("Find(%q).Unknown = %q, want %q", tc.query, r.Unknown, tc.unknown)
		}
		if r.Size != tc.size {
			t.Errorf("Find(%q).Size = %v, want %v", tc.query, r.Size, tc.size)
		}
	}
}

func TestFindLimitAndOrder(t *testing.T) {
	x := New(loadKirana(t))
	r := x.Find("masala", 3)
	if len(r.Hits) != 3 {
		t.Fatalf("Find(masala, 3) gave %d hits", len(r.Hits))
	}
	for i := 1; i < len(r.Hits); i++ {
		if r.Hits[i].Score > r.Hits[i-1].Score {
			t.Errorf("hits out of order: %v", r.Hits)
		}
	}
	if all := x.Find("masala", 0); len(all.Hits) != DefaultLimit {
		t.Errorf("Find(masala, 0) gave %d hits, want %d", len(all.Hits), DefaultLimit)
	}
}

func TestEmptyIndex(t *testing.T) {
	x := New(nil)
	if r := x.Find("atta", 5); r.Found() || x.Len() != 0 {
		t.Errorf("empty index found %v", r.Hits)
	}
}

// Find is used from many goroutines at once (one per inbound message).
func TestFindConcurrent(t *testing.T) {
	x := New(loadKirana(t))
	want := x.Find("sarson tel 1l", 5)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				got := x.Find("sarson tel 1l", 5)
				if !slices.Equal(got.Hits, want.Hits) {
					t.Errorf("concurrent Find differs: %v vs %v", got.Hits, want.Hits)
					return
				}
				x.Find("cheeni doodh", 5)
			}
		}()
	}
	wg.Wait()
}

// Every item is found by its own name and pack size, first or tied first.
func TestEveryItemFindsItself(t *testing.T) {
	items := loadKirana(t)
	x := New(items)
	for i, it := range items {
		r := x.Find(it.Name+" "+it.Unit, 20)
		found := false
		for _, h := range r.Hits {
			if h.Score < r.Hits[0].Score-0.001 {
				break
			}
			found = found || h.Item == i
		}
		if !found {
			t.Errorf("%q finds %v, not %s", it.Name+" "+it.Unit, r.Hits, it.SKU)
		}
	}
}

func FuzzFind(f *testing.F) {
	x := New(loadKirana(f))
	for _, s := range []string{"aata", "tel 1l", "आटा", "sarson ka tel 5 l", "xkcd", "", "ATTA10", "1/0 kg", "\xff"} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, q string, limit int) {
		limit %= 50
		r := x.Find(q, limit)
		if limit > 0 && len(r.Hits) > limit || len(r.Hits) > DefaultLimit && limit <= 0 {
			t.Fatalf("Find(%q, %d) gave %d hits", q, limit, len(r.Hits))
		}
		for i, h := range r.Hits {
			if h.Item < 0 || h.Item >= x.Len() || h.Score < minScore || i > 0 && h.Score > r.Hits[i-1].Score {
				t.Fatalf("Find(%q): bad hit %d %+v", q, i, h)
			}
		}
	})
}
