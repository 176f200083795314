package catalog

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// A product kind of the synthetic catalog: names in English and Hindi, the
// words shoppers use for it, the pack sizes it comes in and a price per
// pack of the first size in rupees.
type genKind struct {
	name, nameHi string
	synonyms     []string
	sizes        []string
	rupees       int
}

type genCategory struct {
	name   string
	brands []string
	kinds  []genKind
}

var genCatalog = []genCategory{
	{"Staples", []string{"Aashirvaad", "Fortune", "Pillsbury", "India Gate", "Daawat", "Tata", "Rajdhani", "Shakti Bhog"}, []genKind{
		{"Atta", "आटा", []string{"aata", "gehu atta", "wheat flour"}, []string{"1 kg", "5 kg", "10 kg"}, 55},
		{"Basmati Rice", "बासमती चावल", []string{"chawal", "chaval", "basmati"}, []string{"1 kg", "5 kg"}, 140},
		{"Sugar", "चीनी", []string{"cheeni", "chini", "shakkar"}, []string{"1 kg", "5 kg"}, 46},
		{"Salt", "नमक", []string{"namak", "noon"}, []string{"1 kg"}, 28},
		{"Besan", "बेसन", []string{"gram flour", "chana atta"}, []string{"500 g", "1 kg"}, 62},
		{"Suji", "सूजी", []string{"sooji", "rava", "semolina"}, []string{"500 g", "1 kg"}, 32},
		{"Poha", "पोहा", []string{"pauwa", "chivda", "beaten rice"}, []string{"500 g", "1 kg"}, 35},
	}},
	{"Dal", []string{"Tata Sampann", "Rajdhani", "Loose", "Organic Tattva", "24 Mantra"}, []genKind{
		{"Toor Dal", "तूर दाल", []string{"arhar", "arhar dal", "toor"}, []string{"500 g", "1 kg"}, 85},
		{"Moong Dal", "मूंग दाल", []string{"moong", "mung"}, []string{"500 g", "1 kg"}, 70},
		{"Chana Dal", "चना दाल", []string{"chana", "bengal gram"}, []string{"500 g", "1 kg"}, 55},
		{"Masoor Dal", "मसूर दाल", []string{"masoor", "lal dal"}, []string{"500 g", "1 kg"}, 60},
		{"Urad Dal", "उड़द दाल", []string{"urad", "kali dal"}, []string{"500 g", "1 kg"}, 75},
		{"Rajma", "राजमा", []string{"kidney beans"}, []string{"500 g", "1 kg"}, 90},
	}},
	{"Oil & Ghee", []string{"Fortune", "Saffola", "Dhara", "Amul", "Patanjali", "Engine"}, []genKind{
		{"Mustard Oil", "सरसों तेल", []string{"sarson tel", "kachi ghani", "tel"}, []string{"1 L", "5 L"}, 165},
		{"Sunflower Oil", "सूरजमुखी तेल", []string{"refined", "tel"}, []string{"1 L", "5 L"}, 150},
		{"Ghee", "घी", []string{"desi ghee", "ghi"}, []string{"500 ml", "1 L"}, 290},
		{"Groundnut Oil", "मूंगफली तेल", []string{"moongfali tel", "tel"}, []string{"1 L"}, 190},
	}},
	{"Spices", []string{"MDH", "Everest", "Catch", "Badshah", "Tata Sampann"}, []genKind{
		{"Haldi Powder", "हल्दी", []string{"turmeric", "haldi"}, []string{"100 g", "200 g"}, 30},
		{"Mirch Powder", "लाल मिर्च", []string{"chilli powder", "lal mirch"}, []string{"100 g", "200 g"}, 40},
		{"Dhania Powder", "धनिया", []string{"coriander powder"}, []string{"100 g", "200 g"}, 28},
		{"Garam Masala", "गरम मसाला", []string{"masala"}, []string{"50 g", "100 g"}, 45},
		{"Jeera", "जीरा", []string{"cumin", "zeera"}, []string{"100 g"}, 60},
	}},
	{"Snacks", []string{"Haldiram's", "Bikaji", "Lay's", "Kurkure", "Parle", "Britannia", "Sunfeast"}, []genKind{
		{"Bhujia", "भुजिया", []string{"namkeen", "sev"}, []string{"200 g", "400 g"}, 55},
		{"Chips", "चिप्स", []string{"wafers"}, []string{"52 g", "90 g"}, 20},
		{"Biscuits", "बिस्कुट", []string{"biscuit", "buiscuit"}, []string{"100 g", "250 g"}, 10},
		{"Rusk", "रस्क", []string{"toast", "rusk"}, []string{"200 g"}, 35},
		{"Mixture", "मिक्सचर", []string{"namkeen", "mixchar"}, []string{"200 g", "1 kg"}, 50},
	}},
	{"Dairy", []string{"Amul", "Mother Dairy", "Nandini", "Aavin", "Gowardhan"}, []genKind{
		{"Milk", "दूध", []string{"doodh", "dudh"}, []string{"500 ml", "1 L"}, 28},
		{"Curd", "दही", []string{"dahi", "yogurt"}, []string{"400 g", "1 kg"}, 35},
		{"Paneer", "पनीर", []string{"cottage cheese"}, []string{"200 g", "500 g"}, 90},
		{"Butter", "मक्खन", []string{"makhan"}, []string{"100 g", "500 g"}, 56},
	}},
	{"Personal Care", []string{"Lux", "Lifebuoy", "Dettol", "Colgate", "Pepsodent", "Clinic Plus", "Parachute"}, []genKind{
		{"Soap", "साबुन", []string{"sabun", "nahane ka sabun"}, []string{"100 g", "4 x 100 g"}, 38},
		{"Toothpaste", "टूथपेस्ट", []string{"manjan", "paste"}, []string{"100 g", "200 g"}, 55},
		{"Shampoo", "शैम्पू", []string{"shampoo", "sampoo"}, []string{"180 ml", "340 ml"}, 120},
		{"Coconut Oil", "नारियल तेल", []string{"nariyal tel", "hair oil"}, []string{"100 ml", "250 ml"}, 45},
	}},
	{"Household", []string{"Surf Excel", "Vim", "Harpic", "Lizol", "Ariel", "Tide", "Rin"}, []genKind{
		{"Detergent Powder", "कपड़े धोने का पाउडर", []string{"surf", "washing powder"}, []string{"500 g", "1 kg"}, 65},
		{"Dishwash Bar", "बर्तन साबुन", []string{"bartan sabun", "vim bar"}, []string{"200 g", "3 pcs"}, 10},
		{"Toilet Cleaner", "टॉयलेट क्लीनर", []string{"harpic"}, []string{"500 ml", "1 L"}, 95},
		{"Floor Cleaner", "फर्श क्लीनर", []string{"phenyl", "lizol"}, []string{"500 ml", "1 L"}, 99},
	}},
}

// Generate makes a realistic synthetic catalog of n items (brands of kinds
// of product in their pack sizes, with Hindi names and shoppers' words),
// the same for the same seed. SKUs are unique.
func Generate(n int, seed int64) []Item {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x746f6b7269))
	// Every brand, kind and size combination once, in a seeded order;
	// past that, variants ("Value Pack 2") repeat them.
	type combo struct{ cat, brand, kind, size int }
	var combos []combo
	for ci, c := range genCatalog {
		for bi := range c.brands {
			for ki, k := range c.kinds {
				for si := range k.sizes {
					combos = append(combos, combo{ci, bi, ki, si})
				}
			}
		}
	}
	rng.Shuffle(len(combos), func(i, j int) { combos[i], combos[j] = combos[j], combos[i] })
	items := make([]Item, 0, n)
	for i := range n {
		cb := combos[i%len(combos)]
		variant := i / len(combos)
		c := genCatalog[cb.cat]
		k := c.kinds[cb.kind]
		brand := c.brands[cb.brand]
		name := brand + " " + k.name
		if variant > 0 {
			name += fmt.Sprintf(" Pack %d", variant+1)
		}
		price := int64(k.rupees*100) * int64(cb.size*3+1) // bigger packs cost more
		price = price * int64(80+rng.IntN(41)) / 100      // brands differ by ±20%
		price = price / 50 * 50                           // whole 50 paise
		syn := append([]string{strings.ToLower(brand)}, k.synonyms...)
		items = append(items, Item{
			SKU:      fmt.Sprintf("G%s%05d", strings.ToUpper(c.name[:2]), i+1),
			Name:     name,
			NameHi:   k.nameHi,
			Category: c.name,
			Unit:     k.sizes[cb.size],
			Price:    max(price, 500),
			Stock:    rng.IntN(60),
			Active:   rng.IntN(20) != 0,
			Synonyms: syn,
		})
	}
	return items
}
