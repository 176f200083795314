package agent

import (
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/phone"
)

// WelcomeText is the fixed answer until the shop's conversation is wired in.
// It fits one GSM-7 segment.
const WelcomeText = "Welcome to Tokri! We got your message. Reply MENU to see what we sell, HELP for help."

// Welcome answers every shopper with WelcomeText. It never answers senders
// that cannot read a reply (alphanumeric senders such as bank notices).
type Welcome struct {
	OwnNumber string        // never answer ourselves
	Country   phone.Country // of numbers written without a calling code
}

// Handle implements Handler.
func (w Welcome) Handle(tx *store.Tx, in store.Inbound) error {
	if !w.Country.Answerable(in.From, w.OwnNumber) {
		return nil
	}
	_, err := tx.Enqueue(store.Outbound{To: in.From, Text: WelcomeText, Priority: store.Reply, InReplyTo: in.ID})
	return err
}
