package match

import "github.com/tokrihq/tokri/protocol/norm"

// stopWords carry no item meaning in English or Hinglish queries; they are
// neither matched nor reported as unknown.
var stopWords = norm.KeySet(
	"a", "an", "the", "of", "for", "and", "with", "in", "my", "me", "i", "some",
	"ka", "ki", "ke", "ko", "wala", "wali", "vala", "vali", "aur", "bhi", "se",
	"please", "pls", "plz", "want", "need", "give", "chahiye", "chaiye", "dena", "dedo", "de",
)
