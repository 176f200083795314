// Package render turns reply text into what is actually sent: folded to
// the GSM 7-bit alphabet wherever the language allows (so an English reply
// costs 160 characters a segment, not 70), cut to a segment budget at a
// word boundary, and lists split into pages instead of growing past it.
//
// The cost of a text is always pdu.Count's, the one SMS-cost function of
// the project, so what render promises is what the modem sends.
package render
