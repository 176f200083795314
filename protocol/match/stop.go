package match

import "github.com/tokrihq/tokri/protocol/norm"

// stopWords carry no item meaning in English or Hinglish queries; they are
// neither matched nor reported as unknown.
var stopWords = keySet(
	"a", "an", "the", "of", "for", "and", "with", "in", "my", "me", "i", "some",
	"ka", "ki", "ke", "ko", "wala", "wali", "vala", "vali", "aur", "bhi", "se",
	"please", "pls", "plz", "want", "need", "give", "chahiye", "chaiye", "dena", "dedo", "de",
)

func keySet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[norm.Key(w)] = true
	}
	return m
}
