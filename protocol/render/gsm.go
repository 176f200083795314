package render

import "strings"

// gsmBasic is the GSM 03.38 default alphabet (without the escape). Folded
// text uses only these characters: the extension table (€ [ ] { } ~ ^ \ |)
// costs two septets each and some phones show it wrongly, so it is folded
// away too.
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

var gsmSet = func() map[rune]bool {
	m := make(map[rune]bool, len(gsmBasic))
	for _, r := range gsmBasic {
		m[r] = true
	}
	return m
}()

// lookalikes replace characters outside the basic alphabet with the
// nearest thing inside it.
var lookalikes = map[rune]string{
	'₹': "Rs", '€': "EUR", '¢': "c", '‰': "%",
	'‘': "'", '’': "'", '‚': "'", '‛': "'", '′': "'", '`': "'", '´': "'",
	'“': "\"", '”': "\"", '„': "\"", '‟': "\"", '″': "\"", '«': "\"", '»': "\"",
	'‐': "-", '‑': "-", '‒': "-", '–': "-", '—': "-", '―': "-", '−': "-", '~': "-",
	'…': "...", '•': "*", '·': ".", '×': "x", '÷': "/", '⁄': "/", '\\': "/", '|': "/",
	'[': "(", ']': ")", '{': "(", '}': ")", '^': "", '°': "", '©': "(c)", '®': "", '™': "",
	'½': "1/2", '¼': "1/4", '¾': "3/4", '\t': " ", '\f': "\n",
	'→': "->", '←': "<-", '✓': "OK", '✔': "OK",
}

// letters fold accented Latin letters the basic alphabet lacks.
var letters = map[rune]string{}

func init() {
	for _, group := range []string{
		"a:áâãāăą", "A:ÀÁÂÃĀĂĄ", "c:çćč", "C:ĆČ", "d:ďđ", "D:ĎĐ",
		"e:êëēėęě", "E:ÈÊËĒĖĘĚ", "i:íîïīı", "I:ÌÍÎÏĪİ", "n:ńňṅṇ", "N:ŃŇ",
		"o:óôõōő", "O:ÒÓÔÕŌŐ", "r:řṛ", "s:śšṣ", "S:ŚŠ", "t:ťṭ", "u:úûūůű", "U:ÙÚÛŪŮŰ",
		"y:ýÿ", "Y:ÝŸ", "z:źżž", "Z:ŹŻŽ", "h:ḥ", "m:ṃ",
	} {
		base, from, _ := strings.Cut(group, ":")
		for _, r := range from {
			letters[r] = base
		}
	}
	letters['œ'] = "oe"
	letters['Œ'] = "OE"
}
