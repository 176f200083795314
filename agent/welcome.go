package agent

import (
	"strings"

	"github.com/tokrihq/tokri/agent/store"
)

// WelcomeText is the fixed answer until the shop's conversation is wired in.
// It fits one GSM-7 segment.
const WelcomeText = "Welcome to Tokri! We got your message. Reply MENU to see what we sell, HELP for help."

// Welcome answers every shopper with WelcomeText. It never answers senders
// that cannot read a reply (alphanumeric senders such as bank notices).
type Welcome struct {
	OwnNumber string // never answer ourselves
}

// Handle implements Handler.
func (w Welcome) Handle(tx *store.Tx, in store.Inbound) error {
	if !Answerable(in.From, w.OwnNumber) {
		return nil
	}
	_, err := tx.Enqueue(store.Outbound{To: in.From, Text: WelcomeText, Priority: store.Reply, InReplyTo: in.ID})
	return err
}

// Answerable reports whether a reply to from can reach a person: it must be
// a phone number, not an alphanumeric sender (a bank's notices) or a short
// code, and not the store's own SIM however either number is written.
func Answerable(from, own string) bool {
	digits := strings.TrimPrefix(from, "+")
	if len(digits) < 6 {
		return false // short codes and operator services
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return own == "" || !SameNumber(strings.TrimPrefix(own, "+"), digits)
}

// SameNumber compares two numbers of digits by their last ten digits, so
// "+919800000000", "919800000000" and "9800000000" are one number.
func SameNumber(a, b string) bool {
	const n = 10
	if len(a) > n {
		a = a[len(a)-n:]
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return a == b
}
