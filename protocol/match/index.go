package match

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/tokrihq/tokri/protocol/norm"
	"github.com/tokrihq/tokri/protocol/size"
)

// Index is a catalog prepared for matching. Build it with New whenever the
// catalog changes; it is read-only afterwards and safe for concurrent use.
type Index struct {
	items     []entry
	terms     []string  // vocabulary: folded words and their keys, sorted
	postStart []int32   // postings of terms[t] are posts[postStart[t]:postStart[t+1]]
	posts     []posting // which items hold a term, and where
	dels      []del     // deletion neighbourhood of the vocabulary, by hash
	skus      map[string]int32
	scratch   sync.Pool // *scratch, per-item accumulators for Find
}

type entry struct {
	sku   string
	size  size.Size
	words int // words in the name, for the tie-break
}

type posting struct {
	item  int32
	field field
}

// del is 8 bytes: a 32-bit hash is enough, since every term a hash
// leads to is checked by edit distance before it counts, and it halves
// the largest table of the index.
type del struct {
	hash uint32
	term int32
}

// New indexes items. Hit.Item in results is an index into items.
func New(items []Item) *Index {
	x := &Index{items: make([]entry, len(items)), skus: make(map[string]int32, len(items))}
	byTerm := make(map[string][]posting)
	add := func(i int, text string, f field) {
		words := norm.Words(text)
		for j := 0; j < len(words); j++ {
			if _, n := size.Scan(words[j:]); n > 0 {
				j += n - 1
				continue
			}
			w := words[j]
			if !indexable(w) {
				continue
			}
			for _, t := range []string{w, norm.Key(w)} {
				ps := byTerm[t]
				if n := len(ps); n > 0 && ps[n-1].item == int32(i) {
					if fieldWeight[f] > fieldWeight[ps[n-1].field] {
						ps[n-1].field = f
					}
					continue
				}
				byTerm[t] = append(ps, posting{item: int32(i), field: f})
			}
		}
	}
	for i, it := range items {
		sz, _ := size.Parse(it.Unit)
		x.items[i] = entry{sku: it.SKU, size: sz, words: len(norm.Words(it.Name))}
		if k := skuKey(it.SKU); k != "" {
			x.skus[k] = int32(i)
		}
		add(i, it.Name, fieldName)
		add(i, it.NameHi, fieldNameHi)
		for _, s := range it.Synonyms {
			add(i, s, fieldSynonym)
		}
		add(i, it.Category, fieldCategory)
	}

	x.terms = make([]string, 0, len(byTerm))
	for t := range byTerm {
		x.terms = append(x.terms, t)
	}
	sort.Strings(x.terms)
	x.postStart = make([]int32, len(x.terms)+1)
	for id, t := range x.terms {
		x.posts = append(x.posts, byTerm[t]...)
		x.postStart[id+1] = int32(len(x.posts))
		if fuzzable(t) {
			deletions(t, norm.AllowedTypos(len(t)), func(v string) {
				x.dels = append(x.dels, del{hash: hash(v), term: int32(id)})
			})
		}
	}
	slices.SortFunc(x.dels, func(a, b del) int {
		if a.hash != b.hash {
			if a.hash < b.hash {
				return -1
			}
			return 1
		}
		return int(a.term - b.term)
	})
	x.dels = slices.Compact(x.dels)
	x.posts = slices.Clip(x.posts)
	n := len(items)
	x.scratch.New = func() any {
		return &scratch{score: make([]float32, n), best: make([]float32, n)}
	}
	return x
}

// Len is the number of items indexed.
func (x *Index) Len() int { return len(x.items) }

// indexable reports whether a folded word is worth a vocabulary entry:
// anything but a bare number. A lone letter is kept ("Parle-G") but only
// ever matches exactly.
func indexable(w string) bool {
	return w != "" && !norm.IsNumber(w)
}

// fuzzable reports whether typos of w are looked for: short ASCII words
// with a vowel (consonant strings are codes and abbreviations).
func fuzzable(w string) bool {
	return len(w) <= norm.MaxDistanceLen && norm.AllowedTypos(len(w)) > 0 && isASCII(w) && norm.HasVowel(w)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// skuKey folds a SKU for exact lookup: "ATTA-5" and "atta5" agree.
func skuKey(sku string) string {
	return strings.Join(norm.Words(sku), "")
}

// deletions calls fn with s and every distinct string made by deleting up
// to depth bytes of it.
func deletions(s string, depth int, fn func(string)) {
	seen := map[string]bool{s: true}
	fn(s)
	level := []string{s}
	for d := 0; d < depth; d++ {
		var next []string
		for _, v := range level {
			for i := 0; i < len(v); i++ {
				w := v[:i] + v[i+1:]
				if !seen[w] {
					seen[w] = true
					fn(w)
					next = append(next, w)
				}
			}
		}
		level = next
	}
}

// hash is 32-bit FNV-1a.
func hash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// term returns the id of t in the vocabulary, or -1.
func (x *Index) term(t string) int32 {
	i, ok := slices.BinarySearch(x.terms, t)
	if !ok {
		return -1
	}
	return int32(i)
}
