package text

import (
	"strings"

	"github.com/tokrihq/tokri/protocol"
)

// Category is a catalog category's name as lang reads it: the catalog's
// own Hindi name (the CSV's category_hi) when it has one, else the common
// name of a usual kirana category, else the name as the catalog gives it.
// Hinglish reads the usual names in Latin letters.
func Category(lang protocol.Lang, name, nameHi string) string {
	if lang == protocol.English {
		return name
	}
	if lang == protocol.Hindi && nameHi != "" {
		return nameHi
	}
	if c, ok := categories[strings.ToLower(strings.TrimSpace(name))]; ok {
		if lang == protocol.Hindi {
			return c.hi
		}
		return c.latn
	}
	return name
}

// categories are the usual kirana categories, by lower-case English name,
// with the words shoppers use for them.
var categories = map[string]struct{ hi, latn string }{
	"staples":          {"आटा-चावल", "Atta-Chawal"},
	"grains":           {"अनाज", "Anaj"},
	"rice":             {"चावल", "Chawal"},
	"flour":            {"आटा", "Atta"},
	"dal":              {"दाल", "Dal"},
	"pulses":           {"दालें", "Dal"},
	"dal & pulses":     {"दालें", "Dal"},
	"oil & ghee":       {"तेल-घी", "Tel-Ghee"},
	"oil":              {"तेल", "Tel"},
	"spices":           {"मसाले", "Masale"},
	"masala":           {"मसाले", "Masale"},
	"snacks":           {"नमकीन-बिस्कुट", "Namkeen"},
	"biscuits":         {"बिस्कुट", "Biscuit"},
	"dairy":            {"दूध-दही", "Doodh-Dahi"},
	"dairy & eggs":     {"दूध-दही-अंडे", "Doodh-Dahi-Ande"},
	"eggs":             {"अंडे", "Ande"},
	"beverages":        {"चाय-कॉफ़ी", "Chai-Coffee"},
	"drinks":           {"ठंडा", "Thanda"},
	"tea & coffee":     {"चाय-कॉफ़ी", "Chai-Coffee"},
	"sugar & salt":     {"चीनी-नमक", "Chini-Namak"},
	"personal care":    {"साबुन-शैम्पू", "Sabun-Shampoo"},
	"household":        {"घर का सामान", "Gharelu"},
	"cleaning":         {"सफ़ाई", "Safai"},
	"vegetables":       {"सब्ज़ी", "Sabzi"},
	"fruits":           {"फल", "Phal"},
	"fruits & veg":     {"फल-सब्ज़ी", "Phal-Sabzi"},
	"bakery":           {"ब्रेड-बेकरी", "Bread-Bakery"},
	"baby care":        {"बच्चों का सामान", "Bachchon ka saman"},
	"dry fruits":       {"मेवे", "Meve"},
	"packaged food":    {"पैकेट वाला खाना", "Packet wala khana"},
	"instant food":     {"झटपट खाना", "Jhatpat khana"},
	"sweets":           {"मिठाई", "Mithai"},
	"pooja":            {"पूजा का सामान", "Pooja ka saman"},
	"pooja items":      {"पूजा का सामान", "Pooja ka saman"},
	"stationery":       {"कॉपी-पेन", "Copy-Pen"},
	"frozen":           {"फ्रोज़न", "Frozen"},
	"health":           {"दवा-सेहत", "Dawa-Sehat"},
	"pet care":         {"पालतू का सामान", "Paltu ka saman"},
	"masale & spices":  {"मसाले", "Masale"},
	"atta, rice & dal": {"आटा-चावल-दाल", "Atta-Chawal-Dal"},
}
