package ussd

import (
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

var english = Words{
	Back: "Back", More: "More",
	Shop: "Shop", Search: "Search", Cart: "Cart", CartEmpty: "Cart (empty)", Checkout: "Checkout",
	MyOrder: "My order", Repeat: "Repeat last order", CartCount: "Cart (%d) %s",
	Resume: "Your checkout was cut off.", Continue: "Continue", StartAgain: "Start again",
	Categories: "Categories:", SearchAsk: "Type an item name:", NothingFor: "Nothing found for %s. Type another name:",
	HowMany: "How many? (1-%s)", OutOfStock: "%s is out of stock.", Added: "Added %s.",
	CartTotal: "Cart: %s, %s", ShopMore: "Shop more", EditItems: "Change items",
	PickToEdit: "Pick an item to change:", ChangeQty: "Change quantity", Remove: "Remove",
	NewQty: "New quantity (0 removes):", Empty: "Your cart is empty.",
	DeliverTo: "Deliver to: %s", DeliverHere: "Deliver here", NewAddress: "New address",
	Deliver: "Home delivery", Pickup: "Pick up at shop", HowGet: "How do you want it?",
	AskAddress: "Type your delivery address:", PayBy: "Pay by:", PayCOD: "Cash", PayUPI: "UPI",
	Summary: "%s, total %s", Item: "1 item", Items: "%d items", ModeLine: "%s, pay %s", ByDelivery: "Delivery", ByPickup: "Pickup",
	Confirm: "Confirm order", Placed: "Order %s placed! Total %s. We have sent you an SMS.",
	OrderLine: "Order %s: %s", NoOrder: "You have no orders yet.", RepeatThis: "Order again",
	NotAll: "Not all could be added: %s", Pick: "Please pick a number from the list.",
	Away:      "The shop cannot answer now. Please SMS your order to %s.",
	AwayNoSMS: "The shop cannot answer now. Please send your order to the shop by SMS.",
}

var hindi = Words{
	Back: "पीछे", More: "आगे",
	Shop: "सामान", Search: "खोज", Cart: "टोकरी", CartEmpty: "टोकरी", Checkout: "खरीदें",
	MyOrder: "मेरा ऑर्डर", Repeat: "फिर मँगाएँ", CartCount: "टोकरी (%d) %s",
	Resume: "आपका ऑर्डर अधूरा है।", Continue: "जारी रखें", StartAgain: "फिर से शुरू",
	Categories: "श्रेणियाँ:", SearchAsk: "सामान का नाम लिखें:", NothingFor: "%s नहीं मिला। दूसरा नाम लिखें:",
	HowMany: "कितने? (1-%s)", OutOfStock: "%s खत्म है।", Added: "%s जुड़ा",
	CartTotal: "%s, %s", ShopMore: "और सामान", EditItems: "बदलें",
	PickToEdit: "कौन सा बदलें:", ChangeQty: "गिनती बदलें", Remove: "हटाएँ",
	NewQty: "नई गिनती (0 हटाए):", Empty: "टोकरी खाली है।",
	DeliverTo: "पता: %s", DeliverHere: "यहीं भेजें", NewAddress: "नया पता",
	Deliver: "घर पर", Pickup: "दुकान से लूँगा", HowGet: "कैसे लेंगे?",
	AskAddress: "अपना पता लिखें:", PayBy: "भुगतान:", PayCOD: "नकद", PayUPI: "UPI",
	Summary: "%s, कुल %s", Item: "1 सामान", Items: "%d सामान", ModeLine: "%s, %s", ByDelivery: "घर पर", ByPickup: "दुकान से",
	Confirm: "पक्का करें", Placed: "ऑर्डर %s हो गया! कुल %s। SMS भेजा है।",
	OrderLine: "ऑर्डर %s: %s", NoOrder: "अभी कोई ऑर्डर नहीं।", RepeatThis: "फिर मँगाएँ",
	NotAll: "सब नहीं जुड़ा: %s", Pick: "सूची से नंबर चुनें।",
	Away:      "दुकान अभी जवाब नहीं दे सकती। ऑर्डर %s पर SMS करें।",
	AwayNoSMS: "दुकान अभी जवाब नहीं दे सकती। ऑर्डर दुकान को SMS करें।",
}

var hinglish = Words{
	Back: "Peeche", More: "Aage",
	Shop: "Saman", Search: "Khojein", Cart: "Tokri", CartEmpty: "Tokri (khali)", Checkout: "Order karein",
	MyOrder: "Mera order", Repeat: "Pichhla order phir se", CartCount: "Tokri (%d) %s",
	Resume: "Aapka order adhoora hai.", Continue: "Jaari rakhein", StartAgain: "Phir se shuru",
	Categories: "Shreniyan:", SearchAsk: "Saman ka naam likhein:", NothingFor: "%s nahi mila. Doosra naam likhein:",
	HowMany: "Kitne? (1-%s)", OutOfStock: "%s khatam hai.", Added: "%s joda.",
	CartTotal: "Tokri: %s, %s", ShopMore: "Aur saman", EditItems: "Badlein",
	PickToEdit: "Kaunsa badlein:", ChangeQty: "Ginti badlein", Remove: "Hatayein",
	NewQty: "Nayi ginti (0 hataye):", Empty: "Tokri khali hai.",
	DeliverTo: "Pata: %s", DeliverHere: "Yahin bhejein", NewAddress: "Naya pata",
	Deliver: "Ghar par", Pickup: "Dukan se lenge", HowGet: "Kaise lenge?",
	AskAddress: "Apna pata likhein:", PayBy: "Bhugtan:", PayCOD: "Cash", PayUPI: "UPI",
	Summary: "%s, kul %s", Item: "1 saman", Items: "%d saman", ModeLine: "%s, %s", ByDelivery: "Ghar par", ByPickup: "Dukan se",
	Confirm: "Pakka karein", Placed: "Order %s ho gaya! Kul %s. SMS bheja hai.",
	OrderLine: "Order %s: %s", NoOrder: "Abhi koi order nahi.", RepeatThis: "Phir mangayein",
	NotAll: "Sab nahi juda: %s", Pick: "List se number chunein.",
	Away:      "Dukan abhi jawab nahi de pa rahi. Apna order %s par SMS karein.",
	AwayNoSMS: "Dukan abhi jawab nahi de pa rahi. Apna order dukan ko SMS karein.",
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
