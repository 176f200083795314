// Package command reads one inbound SMS into a typed Command: the grammar
// shoppers and operators use, in English, Hindi (Devanagari) and
// Hinglish, in any case, with stray spaces and punctuation, Devanagari
// digits and common typos of the keywords.
//
// Parsing is stateless: "2" is Pick{2} whatever screen the shopper is on,
// and the conversation (in the agent) decides what picking 2 means there,
// including render.MoreKey and render.BackKey on a paged list. The one
// exception is free text that should be taken whole, such as an address:
// ParseExpect with ExpectAddress.
//
// Commands carry shopper text (Search, Order, Address, Unknown) and an
// operator's PIN: none of them belongs in a log at info level. Name gives
// a safe label for logging.
package command
