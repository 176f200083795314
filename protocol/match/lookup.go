package match

import (
	"sort"
	"strings"

	"github.com/tokrihq/tokri/protocol/norm"
)

// cand is a vocabulary word a query word may mean, and how surely.
type cand struct {
	term int32
	w    float32
}

// maxPrefixTerms bounds prefix matching: a prefix shared by more words
// than this says too little to be worth following.
const maxPrefixTerms = 32

// candidates appends to buf the vocabulary words that w (a folded query
// word) may stand for: itself or its phonetic key; failing those, its near
// misses within the typos its length allows and the words it begins. A
// word the catalog knows is taken as meant: "chai" is tea, not a typo of
// "chakki".
func (x *Index) candidates(w string, buf []cand) []cand {
	add := func(id int32, wt float32) {
		for i := range buf {
			if buf[i].term == id {
				buf[i].w = max(buf[i].w, wt)
				return
			}
		}
		buf = append(buf, cand{term: id, w: wt})
	}
	k := norm.Key(w)
	if id := x.term(w); id >= 0 {
		add(id, weightExact)
	}
	forms := []string{w}
	if k != w {
		forms = append(forms, k)
		if id := x.term(k); id >= 0 {
			add(id, weightKey)
		}
	}
	if len(buf) > 0 || !norm.HasVowel(w) || !isLetters(w) {
		return buf
	}
	for _, s := range forms {
		if fuzzable(s) {
			deletions(s, norm.AllowedTypos(len(s)), func(v string) {
				h := hash(v)
				i := sort.Search(len(x.dels), func(i int) bool { return x.dels[i].hash >= h })
				for ; i < len(x.dels) && x.dels[i].hash == h; i++ {
					id := x.dels[i].term
					t := x.terms[id]
					allowed := norm.AllowedTypos(min(len(s), len(t)))
					if d := norm.Distance(s, t, allowed); d > 0 && d <= allowed {
						add(id, typoWeight(d))
					}
				}
			})
		}
		if len(s) >= 4 {
			lo := sort.SearchStrings(x.terms, s)
			hi := lo
			for hi < len(x.terms) && hi-lo <= maxPrefixTerms && strings.HasPrefix(x.terms[hi], s) {
				hi++
			}
			if hi-lo <= maxPrefixTerms {
				for id := lo; id < hi; id++ {
					if len(x.terms[id]) > len(s) {
						add(int32(id), weightPrefix)
					}
				}
			}
		}
	}
	return buf
}

func typoWeight(d int) float32 {
	if d == 1 {
		return weightTypo1
	}
	return weightTypo2
}

// postings of vocabulary word id.
func (x *Index) postings(id int32) []posting {
	return x.posts[x.postStart[id]:x.postStart[id+1]]
}

// isLetters reports whether w is made of ASCII letters only: words with
// digits in them are codes, matched exactly or not at all.
func isLetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return w != ""
}
