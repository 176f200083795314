// Package corpus holds conversations written the way kirana shoppers text
// from feature phones (English, Hinglish, Devanagari, typos, weights,
// corrections, addresses without a keyword), each with the order it must
// end in, and a test that runs them through the real shop and scores it.
//
// testdata/tuned is what the parser may be tuned against; testdata/heldout
// is never looked at while tuning, and is scored on its own.
package corpus
