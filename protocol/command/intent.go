package command

import (
	"strings"
	"unicode"

	"github.com/tokrihq/tokri/protocol/norm"
	"github.com/tokrihq/tokri/protocol/size"
)

// Readings of whole messages that people write instead of the keywords:
// pickup said in words, a correction of the last quantity, a request to
// cancel written as a sentence, and an address written after the items.

// pickupCue are words that say the shopper will come to the shop;
// shopWords with a "from" word say the same ("dukan se le lunga").
var (
	pickupCue  = norm.KeySet("pickup", "khud", "collect", "खुद", "पिकअप", "aakar", "aake", "akar", "आकर")
	pickupPick = norm.KeySet("pick")
	shopWords  = norm.KeySet("dukan", "dukaan", "shop", "store", "दुकान")
	fromWords  = norm.KeySet("se", "from", "से")
	// takeWords say the shopper will take the goods themselves.
	takeWords = norm.KeySet("lunga", "lungi", "lenge", "le", "jaunga", "jaungi", "jaenge", "jayenge", "lega", "take",
		"collect", "pick", "लूंगा", "लूँगा", "लेंगे", "जाऊंगा", "जाऊँगा", "ले")
)

// maxPickupWords bounds a pickup sentence: longer messages are something else.
const maxPickupWords = 8

// pickupWords reads "dukan se le lunga", "i will pick up from shop",
// "khud aakar le jaunga".
func pickupWords(keys []string) Command {
	if len(keys) > maxPickupWords {
		return nil
	}
	var cue, shop, from, take bool
	for i, k := range keys {
		switch {
		case pickupCue[k]:
			cue = true
		case pickupPick[k] && i+1 < len(keys) && keys[i+1] == "up":
			cue = true
		case shopWords[k]:
			shop = true
		case fromWords[k]:
			from = true
		}
		if takeWords[k] {
			take = true
		}
	}
	if cue && (take || len(keys) <= 3) || shop && from && take {
		return Fulfil{Mode: Pickup}
	}
	return nil
}

// noWords open a correction: "nahi 3 chahiye", "no make it 2".
var (
	noWords       = norm.KeySet("no", "nahi", "nahin", "nai", "na", "नहीं", "नही")
	makeIt        = norm.KeySet("make", "it", "only", "sirf", "bas", "kar", "karo", "do", "chahiye", "chaiye", "chahie", "चाहिए", "karna", "kardo", "de", "dena")
	correctionCue = norm.KeySet("chahiye", "chaiye", "chahie", "चाहिए", "make", "only", "sirf")
)

// correction reads a new quantity for the line just added: "nahi 3
// chahiye", "no make it 2", "nahi 5 kar do", or a new amount: "sirf 1 kg".
// It is SetQty with N 0.
func correction(words, keys []string) Command {
	no, cue, qty := false, false, 0
	var sz size.Size
	for i := 0; i < len(keys); i++ {
		k := keys[i]
		if s, n := size.Scan(words[i:]); n > 0 && s.Unit != size.Piece {
			if !sz.IsZero() || qty > 0 {
				return nil
			}
			sz, i = s, i+n-1
			continue
		}
		if n, ok := number(words[i]); ok && n > 0 {
			if qty > 0 || !sz.IsZero() {
				return nil
			}
			qty = n
			continue
		}
		switch {
		case noWords[k]:
			no = true
		case correctionCue[k]:
			cue = true
		case makeIt[k] || politeness[k]:
		default:
			return nil
		}
	}
	if !no && !cue || qty > maxNumber || qty == 0 && sz.IsZero() {
		return nil
	}
	return SetQty{N: 0, Qty: qty, Size: sz}
}

// cancelSentence reads a cancel written as a sentence: "please cancel the
// order, ordered by mistake", "mera order radd kar do".
func cancelSentence(words, keys []string) Command {
	var cancel, order bool
	for _, k := range keys {
		cancel = cancel || cancelWords[k]
		order = order || k == "order" || k == "ordar"
	}
	if cancel && order {
		return Cancel{Order: orderID(words, keys)}
	}
	return nil
}

// addrCue opens an address inside an order message ("ghar 56 ...",
// "deliver to ...", "पता: ..."); placeWords are words found in addresses
// and in no item's name.
var (
	addrCue = norm.KeySet("addr", "address", "adress", "pata", "ghar", "house", "h", "hno", "makan", "makaan", "flat", "room",
		"plot", "qtr", "quarter", "deliver", "पता", "घर", "मकान", "फ्लैट")
	placeWords = norm.KeySet("nagar", "colony", "gali", "road", "rd", "marg", "street", "lane", "vihar", "puri", "mohalla",
		"chowk", "bazar", "bazaar", "sector", "block", "apartment", "apartments", "society", "near", "behind",
		"opp", "opposite", "paas", "peeche", "pichhe", "saamne", "samne", "ward", "basti", "nagri", "hostel", "floor",
		"building", "tower", "wing", "gate", "sadak", "sarak", "chauraha", "tiraha", "enclave", "extension",
		"kunj", "puram", "gaon", "village", "mandir", "masjid", "gurudwara", "गली", "नगर",
		"कॉलोनी", "रोड", "विहार", "चौक", "बाजार", "मोहल्ला", "पास", "पीछे", "सामने", "बस्ती", "सड़क", "सडक",
		"चौराहा", "गांव", "गाँव", "मंदिर", "मस्जिद")
)

// splitAddress finds an address written after the items of an order:
// the first part (between commas, line breaks or full stops) that opens
// with an address word and holds a number, or that names a place and
// holds a number, to the end of the message. It returns the items' text
// and the address as written.
func splitAddress(text string) (items, addr string) {
	parts := rawParts(text)
	for i, p := range parts {
		if i == 0 {
			continue // an address alone is not an order
		}
		ws := norm.Words(p.text)
		if len(ws) < 2 || !hasNumber(ws) {
			continue
		}
		keys := make([]string, len(ws))
		place := false
		for j, w := range ws {
			keys[j] = norm.Key(w)
			place = place || placeWords[keys[j]]
		}
		if !addrCue[keys[0]] && !place {
			continue
		}
		a := strings.TrimSpace(text[p.start:])
		if keys[0] == "deliver" || keys[0] == "addr" || keys[0] == "address" || keys[0] == "pata" || keys[0] == "पता" {
			a = addressBody(dropDeliverTo(a))
		}
		return strings.TrimSpace(text[:p.start]), strings.Trim(dropSendWords(a), " ,.;")
	}
	return innerAddress(text)
}

// innerAddress finds an address that follows the items with no comma
// before it ("2 kg chini ghar 56 indira colony", "deliver 2 kg sugar to
// house 5 gandhi nagar"): from the first address word with its number, as
// OpensWithAddress reads one, after a word of items; a "to", "at", "pe"
// or "par" just before it goes with neither.
func innerAddress(text string) (items, addr string) {
	var starts []int // byte offsets of text's fields
	for i, r := range text {
		if !unicode.IsSpace(r) && (i == 0 || unicode.IsSpace(rune(text[i-1]))) {
			starts = append(starts, i)
		}
	}
	for i := 1; i < len(starts); i++ {
		first, end := len(text), len(text) // this field's end; OpensWithAddress reads five at most
		if i+1 < len(starts) {
			first = starts[i+1]
		}
		if i+5 < len(starts) {
			end = starts[i+5]
		}
		if ks := norm.KeyWords(text[starts[i]:first]); len(ks) == 0 || !addrCue[ks[0]] || !OpensWithAddress(text[starts[i]:end]) {
			continue
		}
		cut := starts[i]
		if prev := strings.TrimSpace(text[starts[i-1]:starts[i]]); i > 1 && toWords[strings.ToLower(prev)] {
			cut = starts[i-1]
		}
		return strings.TrimSpace(text[:cut]), strings.Trim(dropSendWords(text[starts[i]:]), " ,.;")
	}
	return text, ""
}

// AsksSomething reports whether text is a question with no number in it,
// which no address is: "kul kitna hua?", "kab tak aayega", "क्या है".
func AsksSomething(text string) bool {
	ws := norm.Words(text)
	if hasNumber(ws) {
		return false
	}
	if strings.Contains(text, "?") {
		return true
	}
	for _, w := range ws {
		if questionWords[norm.Key(w)] {
			return true
		}
	}
	return false
}

var questionWords = norm.KeySet("kitna", "kitne", "kitni", "kya", "kab", "kaise", "kyun", "kyon", "kaun", "kidhar",
	"what", "when", "how", "why", "which", "कितना", "कितने", "कितनी", "क्या", "कब", "कैसे", "क्यों", "कौन")

// AddressOf is the address in text that opens with one (OpensWithAddress),
// as written, without "deliver to" or "address:" before it.
func AddressOf(text string) string {
	return strings.Trim(addressText(dropDeliverTo(strings.TrimSpace(text))), " ,.;")
}

// toWords lead into an address: "... to house 5", "ghar 12 pe".
var toWords = map[string]bool{"to": true, "at": true, "pe": true, "par": true, "पर": true, "पे": true}

// dropDeliverTo takes "deliver to" off the front of an address.
func dropDeliverTo(a string) string {
	f := strings.Fields(a)
	if len(f) > 2 && norm.Key(strings.ToLower(f[0])) == "deliver" && strings.EqualFold(f[1], "to") {
		return strings.Join(f[2:], " ")
	}
	return a
}

func hasNumber(ws []string) bool {
	for _, w := range ws {
		if strings.ContainsAny(w, "0123456789") {
			return true
		}
	}
	return false
}

type rawPart struct {
	start int
	text  string
}

// rawParts splits text where segments does, keeping byte offsets into the
// text as written.
func rawParts(text string) []rawPart {
	var out []rawPart
	start := 0
	for i, r := range text {
		cut := strings.ContainsRune(",;\n|", r) ||
			r == '.' && i+1 < len(text) && text[i+1] == ' ' && (i == 0 || !isDigit(rune(text[i-1]))) && !numberAbbrev(text[:i])
		if cut {
			out = append(out, rawPart{start: start, text: text[start:i]})
			start = i + 1
		}
	}
	return append(out, rawPart{start: start, text: text[start:]})
}

// LooksLikeAddress reports whether text reads as an address rather than
// items: a number, and an address word in front ("मकान 12, ...") or a
// place word in it ("... gali 3, Shanti Nagar").
func LooksLikeAddress(text string) bool {
	ws := norm.Words(text)
	if len(ws) < 2 || !hasNumber(ws) {
		return false
	}
	if addrCue[norm.Key(ws[0])] {
		return true
	}
	for _, w := range ws {
		if placeWords[norm.Key(w)] {
			return true
		}
	}
	return false
}

// OpensWithAddress reports whether text starts as an address does: an
// address word and its number ("flat 302 b wing", "H.No. 12/3 gandhi
// nagar", "deliver to house 5", "मकान 12"). Nobody orders 302 flats;
// "room freshener 2" is no room. "deliver" alone opens orders too
// ("deliver 2 kg sugar to ..."), so it does not count.
func OpensWithAddress(text string) bool {
	ws := norm.Words(dropDeliverTo(strings.TrimSpace(text)))
	switch {
	case len(ws) > 2 && houseNo[norm.Key(ws[0])+" "+norm.Key(ws[1])]:
		ws = ws[2:] // "म.न. 12": मकान नंबर
	case len(ws) > 1 && addrCue[norm.Key(ws[0])] && norm.Key(ws[0]) != norm.Key("deliver"):
		ws = ws[1:]
	default:
		return false
	}
	if len(ws) > 1 && numberWord[norm.Key(ws[0])] {
		ws = ws[1:] // "house no 45-b"
	}
	return hasNumber(ws[:1])
}

// houseNo are "house number" abbreviated, as norm.Words splits them.
var houseNo = map[string]bool{norm.Key("ma") + " " + norm.Key("na"): true, norm.Key("m") + " " + norm.Key("n"): true}

// numberWord stands between an address word and its number.
var numberWord = norm.KeySet("no", "number", "num", "nr", "नंबर", "नं")

// repeatSentence reads a repeat written as a sentence: "pichla order phir
// se bhej do", "same as last order".
var (
	pastWords  = norm.KeySet("pichla", "pichhla", "pichle", "last", "previous", "same", "purana", "पिछला", "पिछले")
	againWords = norm.KeySet("phir", "fir", "dobara", "again", "repeat", "फिर", "दोबारा")
)

func repeatSentence(words, keys []string) Command {
	var past, again, order bool
	for _, k := range keys {
		past = past || pastWords[k]
		again = again || againWords[k]
		order = order || k == "order" || k == "ordar" || k == "samaan" || k == "saman"
	}
	if past && (order || again) {
		return Repeat{Order: orderID(words, keys)}
	}
	return nil
}

// BareQuantity reads a message that only says how many, of something
// shown before: "5 bhej do", "ok send 2 packets", "3 chahiye". A lone
// number is not one: on a list it picks a line.
func BareQuantity(text string) (int, bool) {
	words := norm.Words(text)
	if len(words) < 2 {
		return 0, false
	}
	qty := 0
	for _, w := range words {
		k := norm.Key(w)
		if n, ok := quantity(w); ok {
			if qty > 0 {
				return 0, false
			}
			qty = n
			continue
		}
		if !orderVerbs[k] && !filler[k] && !politeness[k] && !makeIt[k] && !yesWords[k] {
			return 0, false
		}
	}
	return qty, qty > 0
}

// yesWords open a bare quantity: "ok send 2".
var yesWords = norm.KeySet("ok", "okay", "haan", "ha", "theek", "thik", "yes", "send", "packets", "packet")
