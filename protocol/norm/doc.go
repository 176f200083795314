// Package norm folds shopper text into a form that compares well: lower
// case, no accents, Devanagari written out in Hinglish Latin letters, and
// Devanagari or full-width digits as ASCII digits.
//
// Shoppers write the same word many ways: "aata", "atta", "आटा"; "cheeni",
// "chini", "चीनी". Words splits text into such folded words, and Key reduces
// a word to a phonetic key on which these spellings agree ("ata", "chini"),
// so the matcher and the command grammar need one table of words, not one
// per spelling.
package norm
