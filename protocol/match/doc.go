// Package match finds catalog items from what a shopper typed: a name, a
// brand, a Hinglish or Devanagari word ("aata", "चीनी", "tel"), a synonym,
// a category or a SKU, with typos forgiven in proportion to word length,
// and a pack size ("1l", "5 kg") that prefers items of that size.
//
// New builds an Index once per catalog version; Find is then safe for
// concurrent use and allocates little. Words that match nothing come back
// in Result.Unknown so the reply can name them, and a query of nonsense
// finds nothing rather than the least bad item.
//
// Fuzzy lookup uses a deletion neighbourhood: every vocabulary word is
// stored with the hashes of the strings made by deleting up to its allowed
// number of letters, so a query word finds its near neighbours with a few
// binary searches instead of a scan of the vocabulary.
package match
