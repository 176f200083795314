package match

import (
	"fmt"
	"math/rand"
	"strings"
)

// genCatalog makes n plausible items (brand, variant, product, size) with
// a fixed seed, for property tests and benchmarks at a realistic scale.
func genCatalog(n int, seed int64) []Item {
	r := rand.New(rand.NewSource(seed))
	brands := strings.Fields("Amul Tata Fortune Patanjali Britannia Parle Haldiram Everest Catch Dabur " +
		"Himalaya Nestle Kissan Saffola Daawat Aashirvaad Pillsbury Bikaji Priya Aachi Eastern Sakthi " +
		"Ruchi Emami Nirma Godrej Hamdard Mysore Lijjat Gowardhan")
	variants := []string{"", "Classic", "Premium", "Gold", "Special", "Organic", "Lite", "Fresh",
		"Royal", "Masala", "Extra", "Super"}
	products := []struct{ name, hi, cat, syn string }{
		{"Atta", "आटा", "Staples", "aata|gehu atta"}, {"Basmati Rice", "बासमती चावल", "Staples", "chawal|chaval"},
		{"Sona Masoori Rice", "सोना मसूरी चावल", "Staples", "chawal"}, {"Toor Dal", "अरहर दाल", "Dal", "arhar|tuvar"},
		{"Moong Dal", "मूंग दाल", "Dal", "mung"}, {"Masoor Dal", "मसूर दाल", "Dal", "masur"},
		{"Chana Dal", "चना दाल", "Dal", ""}, {"Urad Dal", "उड़द दाल", "Dal", "udad"},
		{"Rajma", "राजमा", "Dal", "kidney beans"}, {"Kabuli Chana", "काबुली चना", "Dal", "chole"},
		{"Sugar", "चीनी", "Staples", "cheeni|shakkar"}, {"Salt", "नमक", "Staples", "namak"},
		{"Jaggery", "गुड़", "Staples", "gur"}, {"Poha", "पोहा", "Staples", "chivda"},
		{"Suji", "सूजी", "Staples", "rava|sooji"}, {"Besan", "बेसन", "Staples", "gram flour"},
		{"Maida", "मैदा", "Staples", ""}, {"Mustard Oil", "सरसों तेल", "Oil & Ghee", "sarson tel|tel"},
		{"Sunflower Oil", "सूरजमुखी तेल", "Oil & Ghee", "refined|tel"}, {"Groundnut Oil", "मूंगफली तेल", "Oil & Ghee", "tel"},
		{"Soyabean Oil", "सोयाबीन तेल", "Oil & Ghee", "tel"}, {"Ghee", "घी", "Oil & Ghee", "ghi"},
		{"Turmeric Powder", "हल्दी", "Spices", "haldi"}, {"Chilli Powder", "लाल मिर्च", "Spices", "mirchi"},
		{"Coriander Powder", "धनिया", "Spices", "dhaniya"}, {"Cumin Seeds", "जीरा", "Spices", "jeera"},
		{"Garam Masala", "गरम मसाला", "Spices", ""}, {"Biscuits", "बिस्कुट", "Snacks", "biskut"},
		{"Cookies", "कुकीज़", "Snacks", ""}, {"Namkeen", "नमकीन", "Snacks", "mixture"},
		{"Bhujia", "भुजिया", "Snacks", "sev"}, {"Potato Chips", "चिप्स", "Snacks", "wafers"},
		{"Noodles", "नूडल्स", "Snacks", ""}, {"Chocolate", "चॉकलेट", "Snacks", ""},
		{"Toffee", "टॉफ़ी", "Snacks", "candy"}, {"Milk", "दूध", "Dairy", "doodh"},
		{"Curd", "दही", "Dairy", "dahi"}, {"Paneer", "पनीर", "Dairy", ""}, {"Butter", "मक्खन", "Dairy", "makhan"},
		{"Cheese", "चीज़", "Dairy", ""}, {"Bread", "ब्रेड", "Dairy", "double roti"},
		{"Bath Soap", "साबुन", "Personal Care", "sabun"}, {"Shampoo", "शैम्पू", "Personal Care", ""},
		{"Toothpaste", "टूथपेस्ट", "Personal Care", "manjan"}, {"Hair Oil", "बालों का तेल", "Personal Care", ""},
		{"Face Cream", "क्रीम", "Personal Care", ""}, {"Detergent Powder", "सर्फ", "Household", "surf"},
		{"Dishwash Bar", "बर्तन साबुन", "Household", "bartan sabun"}, {"Floor Cleaner", "फ़र्श क्लीनर", "Household", "pocha"},
		{"Toilet Cleaner", "टॉयलेट क्लीनर", "Household", ""}, {"Mosquito Coil", "मच्छर कॉइल", "Household", "machhar"},
		{"Agarbatti", "अगरबत्ती", "Household", "incense"}, {"Matchbox", "माचिस", "Household", "machis"},
		{"Candles", "मोमबत्ती", "Household", "mombatti"}, {"Tea", "चाय", "Staples", "chai|patti"},
		{"Coffee", "कॉफ़ी", "Staples", ""}, {"Mango Pickle", "आम का अचार", "Staples", "achar"},
		{"Tomato Ketchup", "केचप", "Snacks", "sauce"}, {"Vermicelli", "सेवई", "Staples", "seviyan"},
		{"Papad", "पापड़", "Snacks", ""},
	}
	sizes := []string{"100 g", "200 g", "500 g", "1 kg", "5 kg", "200 ml", "500 ml", "1 L"}
	// Product lines ("Amul Kesarwala Milk"): made-up pronounceable words,
	// so the vocabulary grows with the catalog as a real one does.
	syllables := strings.Fields("ka ki ku ke ko ra ri ru re ro ma mi mu me mo na ni nu ne no ta ti tu te to " +
		"sa si su se so la li lu le lo pa pi pu pe po da di du de do ga gi gu ge go va vi ve vo sha shi cha chi")
	lines := make([]string, n/2+1)
	for i := range lines {
		var w strings.Builder
		for k := 2 + r.Intn(3); k > 0; k-- {
			w.WriteString(syllables[r.Intn(len(syllables))])
		}
		lines[i] = strings.ToUpper(w.String()[:1]) + w.String()[1:]
	}
	items := make([]Item, n)
	for i := range items {
		p := products[r.Intn(len(products))]
		line := ""
		if r.Intn(2) == 0 {
			line = lines[r.Intn(len(lines))]
		}
		name := strings.Join(strings.Fields(brands[r.Intn(len(brands))]+" "+variants[r.Intn(len(variants))]+" "+line+" "+p.name), " ")
		var syn []string
		if p.syn != "" {
			syn = strings.Split(p.syn, "|")
		}
		items[i] = Item{
			SKU: fmt.Sprintf("sku%05d", i), Name: name, NameHi: p.hi, Synonyms: syn,
			Category: p.cat, Unit: sizes[r.Intn(len(sizes))],
		}
	}
	return items
}
