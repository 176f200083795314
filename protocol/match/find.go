package match

import (
	"slices"

	"github.com/tokrihq/tokri/protocol/norm"
	"github.com/tokrihq/tokri/protocol/size"
)

// Hit is one item found, with its score (higher is better; a query word
// found exactly in the name scores 1).
type Hit struct {
	Item  int // index into the items given to New
	SKU   string
	Score float32
}

// Result is what Find found.
type Result struct {
	Hits    []Hit     // best first; empty when nothing matched
	Unknown []string  // query words (folded) that matched nothing
	Size    size.Size // the pack size asked for, if any
}

// Found reports whether anything matched.
func (r Result) Found() bool { return len(r.Hits) > 0 }

// sureMargin is how far the best hit must lead the next to be taken
// without asking.
const sureMargin = 0.1

// Sure reports whether the best hit clearly beats the others, so that an
// order may take it without offering a choice.
func (r Result) Sure() bool {
	return len(r.Hits) == 1 || len(r.Hits) > 1 && r.Hits[1].Score < r.Hits[0].Score-sureMargin
}

// Hits below minScore, or below keepRatio of the best, are dropped as
// noise: "sarson tel" lists mustard oils, not every oil.
const (
	minScore  = 0.25
	keepRatio = 0.6
)

// DefaultLimit is how many hits Find returns when asked for none.
const DefaultLimit = 8

// Find matches a shopper's words against the catalog and returns up to
// limit hits. Sizes ("1l", "5 kg") prefer items of that size; bare
// numbers and filler words ("ka", "please") are ignored.
func (x *Index) Find(query string, limit int) Result {
	if limit <= 0 {
		limit = DefaultLimit
	}
	var res Result
	words := norm.Words(query)
	content := make([]string, 0, len(words))
	for j := 0; j < len(words); j++ {
		if sz, n := size.Scan(words[j:]); n > 0 {
			if res.Size.IsZero() {
				res.Size = sz
			}
			j += n - 1
			continue
		}
		w := words[j]
		if !indexable(w) || stopWords[norm.Key(w)] {
			continue
		}
		content = append(content, w)
	}
	if len(content) == 0 || len(x.items) == 0 {
		return res
	}

	sc := x.scratch.Get().(*scratch)
	defer func() {
		sc.reset()
		x.scratch.Put(sc)
	}()
	for _, w := range content {
		matched := false
		if id, ok := x.skus[skuKey(w)]; ok {
			sc.bump(id, weightSKU)
			matched = true
		}
		sc.cands = x.candidates(w, sc.cands[:0])
		for _, c := range sc.cands {
			for _, p := range x.postings(c.term) {
				sc.bump(p.item, c.w*fieldWeight[p.field])
				matched = true
			}
		}
		sc.endWord()
		if !matched && len(w) > 1 {
			res.Unknown = append(res.Unknown, w)
		}
	}

	n := float32(len(content))
	hits := make([]Hit, 0, len(sc.touched))
	var top float32
	for _, it := range sc.touched {
		e := x.items[it]
		s := sc.score[it]/n - penaltyPerWord*float32(max(e.words-1, 0))
		if !res.Size.IsZero() && e.size == res.Size {
			s += bonusSize
		}
		top = max(top, s)
		hits = append(hits, Hit{Item: int(it), SKU: e.sku, Score: s})
	}
	hits = slices.DeleteFunc(hits, func(h Hit) bool { return h.Score < minScore || h.Score < top*keepRatio })
	slices.SortFunc(hits, func(a, b Hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return a.Item - b.Item
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	res.Hits = slices.Clip(hits)
	return res
}

// scratch holds Find's per-item sums so a query costs no allocation
// proportional to the catalog. Pooled; each Find takes its own.
type scratch struct {
	score   []float32 // sum over words of the best weight per item
	best    []float32 // best weight per item for the current word
	touched []int32   // items with a score
	word    []int32   // items the current word reached
	cands   []cand
}

func (s *scratch) bump(item int32, w float32) {
	if s.best[item] == 0 {
		s.word = append(s.word, item)
	}
	s.best[item] = max(s.best[item], w)
}

// endWord adds the current word's best weight to each item it reached.
func (s *scratch) endWord() {
	for _, it := range s.word {
		if s.score[it] == 0 {
			s.touched = append(s.touched, it)
		}
		s.score[it] += s.best[it]
		s.best[it] = 0
	}
	s.word = s.word[:0]
}

func (s *scratch) reset() {
	for _, it := range s.touched {
		s.score[it] = 0
	}
	s.touched = s.touched[:0]
}
