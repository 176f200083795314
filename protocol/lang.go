package protocol

import (
	"strings"

	"github.com/tokrihq/tokri/protocol/norm"
)

// Lang is the language a shopper reads replies in. Its value is a BCP 47
// tag (ISO 639-1 code, with the script where it is not the usual one), so
// it can be stored and logged as is.
type Lang string

// The languages replies are written in. Hinglish is Hindi written in
// Latin letters, as most shoppers type it: it costs GSM-7 segments of 160
// characters where Devanagari costs UCS-2 segments of 70.
const (
	English  Lang = "en"
	Hindi    Lang = "hi"
	Hinglish Lang = "hi-Latn"
)

// Langs are the languages replies exist in.
var Langs = []Lang{English, Hindi, Hinglish}

// Valid reports whether l is a language replies exist for.
func (l Lang) Valid() bool { return l == English || l == Hindi || l == Hinglish }

// Latin reports whether replies in l are written in Latin letters (and so
// are GSM-7).
func (l Lang) Latin() bool { return l != Hindi }

// ParseLang reads a stored or configured language code ("en", "HI",
// "hi-latn"), falling back to English for anything else.
func ParseLang(s string) Lang {
	s = strings.TrimSpace(s)
	for _, l := range Langs {
		if strings.EqualFold(s, string(l)) {
			return l
		}
	}
	return English
}

// Detect says which language a shopper wrote text in, when the text says
// so: Devanagari is Hindi, Latin letters with a word of Hindi grammar
// ("chahiye", "bhejo", "kitne", "hai") are Hinglish. Item names decide
// nothing (shoppers who write English call sugar "cheeni" too), nor do
// short words English also uses (do, me), so "2 atta 5kg" and "cheeni"
// are not detected at all.
func Detect(text string) (Lang, bool) {
	for _, r := range text {
		if r >= '\u0900' && r <= '\u097F' {
			return Hindi, true
		}
	}
	for _, w := range norm.Words(text) {
		if hinglishWords[w] {
			return Hinglish, true
		}
	}
	return "", false
}

// hinglishWords are Hindi words as shoppers spell them in Latin letters,
// none of them an English word.
var hinglishWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		hai hain chahiye chaiye chahie chaahiye chahiya bhejo bhej bhejna bhejdo bhejiye bhijwa dedo dijiye dena
		kitna kitne kitni kya kyaa kab kahan kaha kaise kaisa haan haanji nahi nahin nhi theek thik accha acha achha
		bhaiya bhaiyya bhaisaab bhaisahab namaste namaskar mujhe muje mujhko mera meri mere hamara humko hume hamein
		bhi wala wali wale waala waali mein mai hum aap apna apni ghar pata dukan dukaan jaldi abhi aaj kal
		ek teen chaar paanch panch chhe saat aath dus barah darjan aadha adha dedh dhai
		karo kardo kijiye rehne lunga lenge aaunga aayega ayega hoga gaya chalega`) {
		m[w] = true
	}
	return m
}()
