package command

import (
	"strings"

	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/norm"
)

// phrases are whole messages that are a command by themselves, once
// politeness is taken off ("menu dikhao please" is "menu"). Keys are
// phonetic keys joined by spaces, so "हाँ", "haan" and "han" are one entry.
var phrases = map[string]Command{}

// singleWordPhrases of five letters or more, for typo-tolerant lookup.
var longKeywords []string

func init() {
	add := func(c Command, texts ...string) {
		for _, t := range texts {
			var ks []string
			for _, k := range norm.KeyWords(t) {
				if !politeness[k] {
					ks = append(ks, k)
				}
			}
			k := strings.Join(ks, " ")
			phrases[k] = c
			if !strings.Contains(k, " ") && len(k) >= 5 {
				longKeywords = append(longKeywords, k)
			}
		}
	}
	add(Menu{}, "menu", "hi", "hii", "hiii", "hello", "hey", "namaste", "namaskar", "namaskaar", "नमस्ते",
		"ram ram", "main menu", "list", "catalog", "catalogue", "suchi", "shop", "start shopping", "मेनू", "मेन्यू",
		"list bhejo", "menu bhejo", "list bhej", "rate list", "price list", "सूची", "लिस्ट")
	add(Help{}, "help", "madad", "sahayata", "sahayta", "info", "how", "kaise", "commands", "मदद", "सहायता")
	add(Stop{}, "stop", "unsubscribe", "unsub", "band", "mat bhejo", "sms band", "stop all", "optout", "opt out", "बंद")
	add(Start{}, "start", "subscribe", "shuru", "chalu", "unstop", "opt in", "शुरू", "चालू")
	add(More{}, "more", "next", "aur", "aage", "agla", "agle", "और", "आगे")
	add(Back{}, "back", "prev", "previous", "peeche", "pichhe", "piche", "wapas", "vapas", "go back", "पीछे", "वापस")
	add(Cart{}, "cart", "basket", "tokri", "jhola", "kart", "my cart", "cart dekho", "टोकरी",
		"total", "bill", "total kitna", "total kitna hua", "bill kitna", "bill kitna hua", "kitna hua", "kitne hue",
		"kitna bana", "kitne ka hua", "hisab", "hisaab", "कुल", "कितना हुआ", "बिल", "टोटल", "kul kitna", "kul kitna hua",
		"total kitna hai", "kitna hua total", "कुल कितना", "कुल कितना हुआ", "टोटल कितना हुआ")
	add(Clear{}, "clear", "clear cart", "empty", "empty cart", "khali", "tokri khali", "cart khali", "reset",
		"sab hatao", "remove all", "delete all", "cancel all", "खाली")
	add(Checkout{}, "checkout", "check out", "order", "place order", "confirm order", "done", "bas", "bas itna",
		"ho gaya", "hogaya", "finish", "that's all", "thats all", "ordar", "ऑर्डर")
	add(Clear{}, "rehne", "nahi rehne", "rehne dijiye", "rahne", "nahi rahne", "chhodo", "chodo", "nahi chahiye",
		"mat bhejna", "रहने", "नहीं रहने", "नहीं चाहिए")
	add(Yes{}, "yes", "y", "yeah", "yea", "yep", "yup", "ok", "okay", "k", "kk", "haan", "ha", "haanji", "haan ji",
		"ji", "ji haan", "confirm", "sure", "theek", "thik", "sahi", "right", "correct", "हाँ", "हां", "जी", "ठीक")
	add(No{}, "no", "n", "nope", "nah", "nahi", "nahin", "nai", "na", "mat", "galat", "wrong", "no thanks", "नहीं", "नही", "ना",
		"none", "koi nahi", "koi bhi nahi", "kuch nahi", "kuchh nahi", "none of these", "कोई नहीं", "कुछ नहीं")
	add(Fulfil{Mode: Delivery}, "delivery", "deliver", "home delivery", "ghar", "ghar pe", "ghar par", "ghar bhejo",
		"send home", "deliver karo", "डिलीवरी", "घर", "ghar pe bhej", "ghar par bhej", "ghar bhej", "ghar pe bhejo",
		"ghar par bhejo", "ghar tak", "ghar pahuncha", "ghar pe de", "deliver to home", "घर भेजो", "घर पर भेजो", "घर भेज")
	add(Fulfil{Mode: Pickup}, "pickup", "pick up", "collect", "self pickup", "store pickup", "dukan se", "khud",
		"khud lunga", "khud aaunga", "aakar lunga", "le jaunga", "पिकअप", "खुद")
	add(Pay{Method: COD}, "cod", "cash", "cash on delivery", "nakad", "naqad", "cash dunga", "नकद", "कैश",
		"cash se", "cash me", "cash mein", "nakad dunga", "cash denge", "नकद दूंगा")
	add(Pay{Method: UPI}, "upi", "gpay", "google pay", "phonepe", "phone pe", "paytm", "bhim", "online", "यूपीआई",
		"upi se", "upi dunga", "upi se dunga", "upi karunga", "paytm se", "paytm karunga", "gpay se", "phonepe se",
		"online dunga", "online payment", "online karunga")
	add(Lang{Lang: protocol.English}, "english", "eng", "en", "angrezi", "angreji", "in english", "अंग्रेज़ी", "अंग्रेजी")
	add(Lang{Lang: protocol.Hindi}, "hindi", "hin", "hindi me", "hindi mein", "in hindi", "हिंदी", "हिन्दी")
	add(Lang{Lang: protocol.Hinglish}, "hinglish", "roman hindi", "hindi english me", "hindi in english")
	add(Status{}, "status", "track", "order status", "status order", "where is my order", "kahan", "kahan hai",
		"order kahan hai", "kab aayega", "order kab aayega", "sthiti", "स्थिति", "कहाँ", "order kidhar", "ऑर्डर कहाँ",
		"ऑर्डर कब आएगा", "कब आएगा", "samaan kab aayega", "saman kahan hai")
	add(Cancel{}, "cancel", "cancel order", "order cancel", "radd", "order radd", "रद्द", "कैंसिल", "kainsil")
	add(Repeat{}, "repeat", "repeat order", "order again", "same again", "last order", "pichla order", "phir se",
		"phirse", "fir se", "firse", "dobara", "reorder", "दोबारा", "फिर से")
}

// honorific words are dropped when a phrase is not found with them.
var honorific = norm.KeySet("ji", "jee", "जी")

// politeness is taken off a message before it is compared with phrases.
var politeness = norm.KeySet("please", "pls", "plz", "plzz", "kindly", "karo", "kar", "kijiye", "karein", "karen",
	"kare", "do", "dijiye", "dena", "sir", "bhai", "bhaiya", "bhaiyya", "madam", "mam", "dikhao", "dikha",
	"dikhaiye", "dekho", "show", "view", "see", "my", "mera", "meri", "mere", "the", "me", "mujhe", "hai", "h",
	"now", "abhi", "thanks", "thank", "you", "u", "thx", "ty", "dhanyavad", "dhanyawad", "shukriya", "करो",
	"कीजिए", "दिखाओ", "मेरा", "मेरी", "है")

// phrase looks the message's keys up as a whole-message command, allowing
// one typo in a single keyword of five letters or more ("cancle").
func phrase(keys []string) Command {
	var kept []string
	for _, k := range keys {
		if !politeness[k] {
			kept = append(kept, k)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	joined := strings.Join(kept, " ")
	if c, ok := phrases[joined]; ok {
		return c
	}
	// "ji" is respect, not meaning: "ok ji", "ha ji", "nahi ji".
	if len(kept) > 1 {
		var plain []string
		for _, k := range kept {
			if !honorific[k] {
				plain = append(plain, k)
			}
		}
		if c, ok := phrases[strings.Join(plain, " ")]; ok && len(plain) > 0 && len(plain) < len(kept) {
			return c
		}
	}
	if len(kept) != 1 || len(joined) < 5 || !norm.HasVowel(joined) {
		return nil
	}
	var found Command
	for _, kw := range longKeywords {
		if norm.Distance(joined, kw, 1) <= 1 {
			c := phrases[kw]
			if found != nil && found != c {
				return nil // near two different commands: not sure
			}
			found = c
		}
	}
	return found
}

// Words that give a message its meaning when followed by arguments.
var (
	langWords   = norm.KeySet("lang", "language", "bhasha", "bhaasha", "भाषा")
	langCodes   = map[string]protocol.Lang{}
	statusWords = norm.KeySet("status", "track", "sthiti", "स्थिति")
	cancelWords = norm.KeySet("cancel", "radd", "kainsil", "रद्द", "कैंसिल")
	repeatWords = norm.KeySet("repeat", "reorder", "dobara", "दोबारा")
	removeWords = norm.KeySet("remove", "delete", "del", "rm", "hatao", "hata", "hatado", "nikalo", "nikal", "minus", "हटाओ", "हटा", "निकालो")
	setWords    = norm.KeySet("qty", "quantity", "change", "set", "badlo", "badal", "update", "make", "बदलो")
	pickWords   = norm.KeySet("no", "number", "num", "item", "option", "opt", "choice", "नंबर")
	addrWords   = norm.KeySet("addr", "address", "adress", "adres", "pata", "पता")
	// idFiller surrounds an order id: "status of my order K7M3 please".
	idFiller = norm.KeySet("order", "my", "mera", "meri", "of", "the", "is", "where", "kahan", "kaha", "hai", "kab",
		"aayega", "ayega", "no", "number", "id", "ka", "ki", "ke", "karo", "kar", "do", "please", "pls", "again",
		"karna", "karni", "krna", "karne", "chahta", "chahti", "want", "dena", "kardo")
	// setFiller surrounds the two numbers of a quantity change.
	setFiller = norm.KeySet("qty", "quantity", "change", "set", "badlo", "badal", "update", "make", "item", "no",
		"number", "line", "to", "ko", "karo", "kar", "do", "please", "pcs", "pc", "piece", "pieces", "packet", "kardo")
	// notWords then wantWords end a message that takes an item out:
	// "namak nahi chahiye", "oil mat bhejna".
	notWords  = norm.KeySet("nahi", "nahin", "nai", "mat", "नहीं", "मत")
	wantWords = norm.KeySet("chahiye", "chaiye", "chahie", "chaahiye", "bhejo", "bhejna", "bhejiye", "dena", "do",
		"चाहिए", "भेजो", "भेजना")
	// removeFiller surrounds what is removed.
	removeFiller = norm.KeySet("item", "no", "number", "line", "karo", "kar", "do", "please", "from", "cart", "tokri",
		"se", "the", "my", "kardo", "dena", "dijiye")
)

func init() {
	for _, w := range []string{"en", "eng", "english", "angrezi", "angreji"} {
		langCodes[norm.Key(w)] = protocol.English
	}
	for _, w := range []string{"hi", "hin", "hindi"} {
		langCodes[norm.Key(w)] = protocol.Hindi
	}
	langCodes[norm.Key("hinglish")] = protocol.Hinglish
}

// numberWords are quantities written out, in English and Hindi.
var numberWords = func() map[string]int {
	m := map[string]int{}
	for n, ws := range map[int][]string{
		1: {"one", "ek"}, 2: {"two", "do"}, 3: {"three", "teen", "tin"}, 4: {"four", "char", "chaar"},
		5: {"five", "paanch", "panch"}, 6: {"six", "chhe", "chhah", "che"}, 7: {"seven", "saat"},
		8: {"eight", "aath"}, 9: {"nine", "nau"}, 10: {"ten", "das"}, 12: {"twelve", "barah"},
	} {
		for _, w := range ws {
			m[norm.Key(w)] = n
		}
	}
	return m
}()

// Words that say what kind of message a list of items is.
var (
	orderVerbs = norm.KeySet("add", "order", "buy", "send", "deliver", "bhejo", "bhej", "bhejna", "chahiye", "chaiye", "chahie",
		"chaahiye", "lena", "dena", "dedo", "need", "want", "ordar", "चाहिए", "भेजो", "भेज", "दो", "देना", "लेना")
	searchVerbs = norm.KeySet("find", "search", "khojo", "dhundo", "dhoondo", "dhundho", "price", "prices", "rate",
		"rates", "bhav", "bhaav", "daam", "kitne", "kitna", "kimat", "keemat", "cost", "dikhao", "dikha", "show",
		"available", "milega", "milegi", "hai", "kya", "stock", "have", "much", "how", "दिखाओ", "कितने", "कितना", "दाम", "भाव", "मिलेगा", "क्या")
	// filler carries no item meaning in an order or search.
	filler = norm.KeySet("please", "pls", "plz", "kindly", "mujhe", "muje", "hame", "hamein", "hume", "humko", "mereko",
		"i", "me", "my", "we", "also", "bhi", "sir", "bhai", "bhaiya", "ji", "hi", "hello", "namaste", "x", "karo",
		"kar", "do", "de", "le", "lo", "the", "some", "thoda", "wala", "wali", "vala", "vali", "and", "aur", "plus",
		"tatha", "or", "ka", "ke", "ki", "of", "for", "a", "an", "packet", "packets", "pkt", "paiket", "pakit",
		// Chat around an order is not an item: "bhaiya jaldi bhejna".
		"jaldi", "jldi", "fast", "quickly", "quick", "urgent", "jaldi se", "abhi", "time", "lagega", "lagegi",
		"der", "minute", "ok", "okay", "theek", "thik", "haan", "ha", "acha", "accha", "achha", "जल्दी", "ठीक", "पैकेट",
		"u", "you", "have", "do", "is", "hai", "h", "sirf", "only", "bas", "keval", "सिर्फ", "बस")
	// priceWords ask what something costs: a message with one of them and
	// no order verb is a search, even with an amount in it.
	priceWords = norm.KeySet("price", "prices", "rate", "rates", "bhav", "bhaav", "daam", "kitne", "kitna", "kimat",
		"keemat", "cost", "कितने", "कितना", "दाम", "भाव", "कीमत")
	// rupeeWords name the money before or after a price; priceOf ends
	// one ("10 wala", "25 ka").
	rupeeWords = norm.KeySet("rs", "rs.", "rupay", "rupaye", "rupaiya", "rupee", "rupees", "rupye", "inr", "रुपये", "रुपए", "रु")
	priceOf    = norm.KeySet("wala", "wali", "vala", "vali", "ka", "ki", "ke", "वाला", "वाली", "का", "की", "के")
	// lineBreaks split a message into order lines.
	lineBreaks = norm.KeySet("and", "aur", "plus", "tatha", "और")
)
