package match

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"testing/quick"
	"unicode"
)

// typo is one random edit of one word of at least five letters of an
// item's name.
type typo struct {
	item, word, pos int
	op              int // 0 insert, 1 delete, 2 substitute, 3 swap
	letter          byte
}

func (typo) Generate(r *rand.Rand, _ int) reflect.Value {
	return reflect.ValueOf(typo{
		item: r.Intn(1 << 30), word: r.Intn(1 << 30), pos: r.Intn(1 << 30),
		op: r.Intn(4), letter: byte('a' + r.Intn(26)),
	})
}

// apply returns the item's name with the typo in it, or false when the
// name has no word long enough.
func (ty typo) apply(name string) (string, bool) {
	words := strings.Fields(name)
	var long []int
	for i, w := range words {
		if len(w) >= 5 && strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) || r > unicode.MaxASCII }) < 0 {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return "", false
	}
	wi := long[ty.word%len(long)]
	w := strings.ToLower(words[wi])
	p := ty.pos % len(w)
	switch ty.op {
	case 0:
		w = w[:p] + string(ty.letter) + w[p:]
	case 1:
		w = w[:p] + w[p+1:]
	case 2:
		w = w[:p] + string(ty.letter) + w[p+1:]
	case 3:
		if p == len(w)-1 {
			p--
		}
		w = w[:p] + string(w[p+1]) + string(w[p]) + w[p+2:]
	}
	words[wi] = w
	return strings.Join(words, " "), true
}

// checkTypos: a one-edit typo in a word of five letters or more of a name
// still finds that item (or one with the same name, such as another pack
// size) among the top results.
func checkTypos(t *testing.T, items []Item, count int) {
	x := New(items)
	sameName := map[string]int{}
	for _, it := range items {
		sameName[strings.ToLower(it.Name)]++
	}
	prop := func(ty typo) bool {
		it := items[ty.item%len(items)]
		q, ok := ty.apply(it.Name)
		if !ok {
			return true
		}
		top := max(5, sameName[strings.ToLower(it.Name)])
		r := x.Find(q, top)
		for _, h := range r.Hits {
			if strings.EqualFold(items[h.Item].Name, it.Name) {
				return true
			}
		}
		t.Logf("typo %q of %q (%s): hits %v", q, it.Name, it.SKU, r.Hits)
		return false
	}
	cfg := &quick.Config{MaxCount: count, Rand: rand.New(rand.NewSource(7))}
	if err := quick.Check(prop, cfg); err != nil {
		t.Error(err)
	}
}

func TestPropertyTypoFindsItemKirana(t *testing.T) { checkTypos(t, loadKirana(t), 2000) }

func TestPropertyTypoFindsItemGenerated(t *testing.T) { checkTypos(t, genCatalog(5000, 1), 1000) }

// nonsense is a string of consonants and digits, 4 to 12 long.
type nonsense string

func (nonsense) Generate(r *rand.Rand, _ int) reflect.Value {
	const alphabet = "bcdfghjklmnpqrstvwxyz0123456789"
	b := make([]byte, 4+r.Intn(9))
	for i := range b {
		b[i] = alphabet[r.Intn(len(alphabet))]
	}
	if r.Intn(2) == 0 {
		b[0] = byte(unicode.ToUpper(rune(b[0])))
	}
	return reflect.ValueOf(nonsense(b))
}

func TestPropertyNonsenseMatchesNothing(t *testing.T) {
	for name, items := range map[string][]Item{"kirana": loadKirana(t), "generated": genCatalog(5000, 1)} {
		x := New(items)
		prop := func(a, b nonsense) bool {
			for _, q := range []string{string(a), string(a) + " " + string(b)} {
				if r := x.Find(q, 5); r.Found() {
					t.Logf("%s: %q found %s %q", name, q, r.Hits[0].SKU, items[r.Hits[0].Item].Name)
					return false
				}
			}
			return true
		}
		cfg := &quick.Config{MaxCount: 3000, Rand: rand.New(rand.NewSource(11))}
		if err := quick.Check(prop, cfg); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
