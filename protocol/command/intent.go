package command

import (
	"strings"

	"github.com/tokrihq/tokri/protocol/norm"
)

// Readings of whole messages that people write instead of the keywords:
// pickup said in words, a correction of the last quantity, a request to
// cancel written as a sentence, and an address written after the items.

// pickupCue are words that say the shopper will come to the shop;
// shopWords with a "from" word say the same ("dukan se le lunga").
var (
	pickupCue  = keySet("pickup", "khud", "collect", "खुद", "पिकअप", "aakar", "aake", "akar", "आकर")
	pickupPick = keySet("pick")
	shopWords  = keySet("dukan", "dukaan", "shop", "store", "दुकान")
	fromWords  = keySet("se", "from", "से")
	// takeWords say the shopper will take the goods themselves.
	takeWords = keySet("lunga", "lungi", "lenge", "le", "jaunga", "jaungi", "jaenge", "jayenge", "lega", "take",
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
	noWords       = keySet("no", "nahi", "nahin", "nai", "na", "नहीं", "नही")
	makeIt        = keySet("make", "it", "only", "sirf", "bas", "kar", "karo", "do", "chahiye", "chaiye", "chahie", "चाहिए", "karna", "kardo", "de", "dena")
	correctionCue = keySet("chahiye", "chaiye", "chahie", "चाहिए", "make", "only", "sirf")
)

// correction reads a new quantity for the line just added: "nahi 3
// chahiye", "no make it 2", "nahi 5 kar do". It is SetQty with N 0.
func correction(words, keys []string) Command {
	no, cue, qty := false, false, 0
	for i, k := range keys {
		if n, ok := number(words[i]); ok && n > 0 {
			if qty > 0 {
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
	if qty == 0 || !no && !cue || qty > maxNumber {
		return nil
	}
	return SetQty{N: 0, Qty: qty}
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
	addrCue = keySet("addr", "address", "adress", "pata", "ghar", "house", "h", "hno", "makan", "makaan", "flat", "room",
		"plot", "qtr", "quarter", "deliver", "पता", "घर", "मकान", "फ्लैट")
	placeWords = keySet("nagar", "colony", "gali", "road", "rd", "marg", "street", "lane", "vihar", "puri", "mohalla",
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
			a = addressText(dropDeliverTo(a))
		}
		return strings.TrimSpace(text[:p.start]), strings.Trim(a, " ,.;")
	}
	return text, ""
}

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
			r == '.' && i+1 < len(text) && text[i+1] == ' ' && (i == 0 || !isDigit(rune(text[i-1])))
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

// repeatSentence reads a repeat written as a sentence: "pichla order phir
// se bhej do", "same as last order".
var (
	pastWords  = keySet("pichla", "pichhla", "pichle", "last", "previous", "same", "purana", "पिछला", "पिछले")
	againWords = keySet("phir", "fir", "dobara", "again", "repeat", "फिर", "दोबारा")
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
var yesWords = keySet("ok", "okay", "haan", "ha", "theek", "thik", "yes", "send", "packets", "packet")
