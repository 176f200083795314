package ussd

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"

	"github.com/tokrihq/tokri/protocol"
)

// Words are the texts of the shop's screens in one language. Formats
// take their arguments in the order their comments give.
type Words struct {
	Back, More string // the navigation keys' labels

	Shop, Search, Cart, CartEmpty, Checkout, MyOrder, Repeat string // main menu
	CartCount                                                string // "Cart (%d) %s": lines, total

	Resume, Continue, StartAgain string

	Categories  string // head of the category list
	SearchAsk   string // type a word
	NothingFor  string // "%s": the words
	HowMany     string // "%s": the largest count
	OutOfStock  string // "%s": the item
	Added       string // "%s": "2x Atta 5kg"
	CartTotal   string // "%s, %s": Count of lines, total
	ShopMore    string
	EditItems   string
	PickToEdit  string
	ChangeQty   string
	Remove      string
	NewQty      string
	Empty       string
	DeliverTo   string // "%s": the saved address
	DeliverHere string
	NewAddress  string
	Deliver     string
	Pickup      string
	HowGet      string
	AskAddress  string
	PayBy       string
	PayCOD      string
	PayUPI      string
	Summary     string // "%s, total %s": Count of lines, total
	Item, Items string // one item, and "%d items"
	ModeLine    string // "%s, %s": delivery or pickup, payment
	ByDelivery  string
	ByPickup    string
	Confirm     string
	Placed      string // "%s %s": order id, total
	OrderLine   string // "%s: %s": order id, state
	NoOrder     string
	RepeatThis  string
	NotAll      string // "%s": the items short
	Pick        string // a choice that is not on the screen
	Away        string // "%s": the shop's SMS number; the shop cannot answer
	AwayNoSMS   string // the same without a number
}

// The texts themselves are data, one file a language, so that a
// translator edits words/ and no code.
//
//go:embed words/*.json
var wordFiles embed.FS

var english, hindi, hinglish = load("english"), load("hindi"), load("hinglish")

// load reads one language's words; a file that does not match Words is a
// mistake in the build, so it panics at start.
func load(lang string) Words {
	var w Words
	b, err := wordFiles.ReadFile("words/" + lang + ".json")
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		err = dec.Decode(&w)
	}
	if err != nil {
		panic(fmt.Sprintf("ussd words %s: %v", lang, err))
	}
	return w
}

// For returns the words of lang; English for any other.
func For(lang protocol.Lang) *Words {
	switch lang {
	case protocol.Hindi:
		return &hindi
	case protocol.Hinglish:
		return &hinglish
	}
	return &english
}

// Langs are the languages screens are written in.
var Langs = []protocol.Lang{protocol.English, protocol.Hindi, protocol.Hinglish}

// F formats one of the words.
func F(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// Count says n items.
func (w *Words) Count(n int) string {
	if n == 1 {
		return w.Item
	}
	return fmt.Sprintf(w.Items, n)
}
