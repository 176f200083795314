package ussd

import (
	"strings"
	"unicode/utf16"

	"github.com/tokrihq/tokri/modem/pdu"
	"github.com/tokrihq/tokri/protocol"
)

// Keys of the menu convention.
const (
	KeyBack = "0"  // one screen (or page) back
	KeyMore = "98" // the next page of a list
)

// Screen sizes, in GSM-7 characters (septets) or, for text that needs
// UCS-2, in UTF-16 units.
const (
	MaxChars = 182
	AimChars = 160
	MaxUCS2  = 80
)

// Kind says what a step of a session is.
type Kind int

// Kinds of step.
const (
	Begin    Kind = iota + 1 // the shopper dialled the code
	Continue                 // the shopper answered a CON screen
	End                      // the network or aggregator ended the session; no screen is shown
)

func (k Kind) String() string {
	switch k {
	case Begin:
		return "begin"
	case Continue:
		return "continue"
	case End:
		return "end"
	}
	return "unknown"
}

// Request is one step of a USSD session, whatever aggregator carried it.
type Request struct {
	Session string `json:"session"`           // the aggregator's session id
	Phone   string `json:"phone"`             // the shopper, "+" and digits
	Code    string `json:"code,omitempty"`    // the dialled service code
	Network string `json:"network,omitempty"` // the aggregator's network code
	Kind    Kind   `json:"kind"`
	Input   string `json:"input,omitempty"` // what the shopper typed at this step
	// Seq counts the shopper's inputs so far, this one included, when the
	// format says (Africa's Talking resends them all); 0 when it does not.
	// A step whose Seq was answered already is a retry.
	Seq int `json:"seq,omitempty"`
}

// Reply is the screen for a step: CON waits for an answer, END closes.
type Reply struct {
	Text string `json:"text"`
	End  bool   `json:"end,omitempty"`
}

// String is the reply the way Africa's Talking and most gateways take it:
// "CON text" or "END text".
func (r Reply) String() string {
	if r.End {
		return "END " + r.Text
	}
	return "CON " + r.Text
}

// Con and Close build replies.
func Con(text string) Reply { return Reply{Text: text} }

// Close is a screen that ends the session.
func Close(text string) Reply { return Reply{Text: text, End: true} }

// gsmExtended are the GSM-7 characters sent as an escape and a septet.
const gsmExtended = "^{}\\[~]|€\f"

// Length is how much of a screen text takes: septets when it is GSM-7,
// UTF-16 units otherwise; and the limit for that encoding.
func Length(text string) (n, limit int) {
	if _, enc := pdu.Count(text); enc == "ucs2" {
		return len(utf16.Encode([]rune(text))), MaxUCS2
	}
	for _, r := range text {
		n++
		if strings.ContainsRune(gsmExtended, r) {
			n++
		}
	}
	return n, MaxChars
}

// Fits says whether text fits one screen.
func Fits(text string) bool {
	n, limit := Length(text)
	return n <= limit
}

// Away is the one line a shopper reads when the shop cannot answer a
// dial (its agent offline or failing): text the shop instead. number is
// the shop's SMS number, "" when unknown; lang is the shop's language,
// as nothing tells the shopper's.
func Away(lang protocol.Lang, number string) string {
	w := For(lang)
	if number == "" {
		return w.AwayNoSMS
	}
	return F(w.Away, number)
}
