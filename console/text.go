package console

import "github.com/tokrihq/tokri/agent/orders"

// Lang is the console's language.
type Lang string

// The languages of the console.
const (
	English Lang = "en"
	Hindi   Lang = "hi"
)

// words is everything the console says, in one language.
type words struct {
	Title, Orders, Catalog, Help, Order, Name    string
	New                                          string // "%d new"
	NoOrders, Loading                            string
	AgentDown                                    string // why the view is read-only
	ReadOnly                                     string
	Modem, SMS, Outbox, Sync, Never, NoSync      string
	SIM                                          map[string]string // admin.ModemStatus.SIM -> what the bar says
	Open, Closed, Paused                         string
	States                                       map[orders.State]string
	Actions                                      map[string]string // admin.Action -> label
	Delivery, Pickup                             string
	COD, UPI                                     string
	Items, Total, Address, Payment, History, Col string
	Shopper, Lines, Age                          string
	By                                           map[string]string // orders.ByShopper... -> who
	SMSPreview                                   string            // "SMS to %s, %d part(s), %s:"
	NoSMS, OptedOut                              string
	Confirm                                      string
	PickReason, TypeReason                       string
	Reasons                                      []string
	Done                                         string // "%s: %s" order, state
	PausedNow, ResumedNow                        string
	Search, Stock, Price, Active, Inactive, SKU  string
	EditStock, EditPrice                         string
	ImportPath, ExportPath                       string
	Imported, Exported, Importing                string
	ImportChecking, ImportWriting                string
	BadLines                                     string
	Saved                                        string

	Messages, FailedTitle, UnreadTitle, NoMessages, Conversation string
	LastSeen, Lang, LastOrder, Stop, Error                       string
	MsgStates                                                    map[string]string // store.Msg... -> word
	Retried, Dismissed, OptedOutNow, OptedInNow                  string
	KeysShoppers, KeysConv, KeysFailed, KeysUnread               string

	Today, Revenue, PerOrder, SentToday, TopItems, OpenNow string
	SummaryAt, SummarySent, NoSummary, KeysToday           string

	KeysOrders, KeysOrder, KeysCatalog, KeysEdit, KeysConfirm string
	HelpText                                                  []string

	// Errors in plain words.
	ErrDown, ErrConflict, ErrNotFound, ErrInternal, ErrReach, ErrNoAnswer string
}

var english = words{
	Title: "Tokri", Orders: "Orders", Catalog: "Catalog", Help: "Help", Order: "Order", Name: "Name",
	New:      "%d new",
	NoOrders: "No open orders.", Loading: "Loading...",
	AgentDown: "The agent is not running: showing the store file, read only.",
	ReadOnly:  "read only",
	Modem:     "Modem", SMS: "SMS", Outbox: "Queue", Sync: "Sync", Never: "never", NoSync: "off",
	SIM:  map[string]string{"ready": "SIM ok", "pin": "SIM PIN needed", "puk": "SIM PUK needed", "none": "no SIM"},
	Open: "OPEN", Closed: "CLOSED", Paused: "PAUSED",
	States: map[orders.State]string{
		orders.Placed: "New", orders.Accepted: "Accepted", orders.Packed: "Packed",
		orders.Dispatched: "On the way", orders.Delivered: "Delivered",
		orders.Rejected: "Rejected", orders.Cancelled: "Cancelled",
	},
	Actions: map[string]string{
		"accept": "accept", "reject": "reject", "pack": "pack",
		"dispatch": "dispatch", "deliver": "deliver", "cancel": "cancel",
	},
	Delivery: "delivery", Pickup: "pickup", COD: "cash on delivery", UPI: "UPI",
	Items: "Items", Total: "Total", Address: "Address", Payment: "Payment", History: "History", Col: "ID",
	Shopper: "Shopper", Lines: "Lines", Age: "Age",
	By:         map[string]string{orders.ByShopper: "by shopper", orders.ByOperator: "by shop"},
	SMSPreview: "SMS to %s, %d part(s), %s:",
	NoSMS:      "No SMS goes out for this step.",
	OptedOut:   "The shopper opted out: no SMS goes out.",
	Confirm:    "y send   esc back",
	PickReason: "Why reject? The shopper is told:", TypeReason: "type a reason",
	Reasons:   []string{"out of stock", "shop closed today", "we do not deliver there"},
	Done:      "Order %s: %s.",
	PausedNow: "Shop paused: new orders are turned away.", ResumedNow: "Shop resumed: taking orders.",
	Search: "Search", Stock: "Stock", Price: "Price", Active: "on", Inactive: "off", SKU: "SKU",
	EditStock: "New stock for %s:", EditPrice: "New price in rupees for %s:",
	ImportPath: "CSV file to import:", ExportPath: "Export the catalog to file:",
	Imported: "Imported: %d added, %d updated.", Exported: "Exported %d items to %s.", Importing: "Importing %s",
	ImportChecking: "checking: %d lines read", ImportWriting: "writing: %d of %d items",
	BadLines: "Nothing imported: %d bad line(s):",
	Saved:    "Saved %s.",

	Messages: "Messages", FailedTitle: "Sends that failed", UnreadTitle: "Messages no decoder could read (kept as they came)",
	NoMessages: "No messages.", Conversation: "Conversation with %s",
	LastSeen: "Last seen", Lang: "Lang", LastOrder: "Last order", Stop: "STOP", Error: "Error",
	MsgStates: map[string]string{"received": "in", "queued": "queued", "sent": "sent", "delivered": "delivered", "failed": "FAILED"},
	Retried:   "Queued again as message %d.", Dismissed: "Unreadable message %d dismissed.", OptedOutNow: "%s gets no more SMS from the shop.", OptedInNow: "%s gets SMS again.",
	KeysShoppers: "enter conversation  o stop/start SMS  f failed  u unreadable  tab  q quit",
	KeysConv:     "o stop/start SMS  esc back  tab  q quit",
	KeysFailed:   "r retry  esc back  tab  q quit",
	KeysUnread:   "d dismiss  esc back  tab  q quit",

	Today: "Today", Revenue: "Revenue", PerOrder: "SMS per order", SentToday: "%d sent today", TopItems: "Top items", OpenNow: "open",
	SummaryAt:   "At %s, %s gets this SMS (%d part(s)):",
	SummarySent: "Sent today to %s (%d part(s)):",
	NoSummary:   "No summary SMS: no operator phone in the config, or shop.summary is \"off\".",
	KeysToday:   "tab orders  P pause  ? help  q quit",

	KeysOrders:  "up/down move  enter open  tab catalog  P pause  ? help  q quit",
	KeysOrder:   "a accept  r reject  p pack  s dispatch  d deliver  c cancel  esc back",
	KeysCatalog: "/ search  s stock  e price  d on/off  i import  x export  tab  q quit",
	KeysEdit:    "enter save   esc cancel",
	KeysConfirm: "y send   esc back",
	HelpText: []string{
		"Orders: new orders ring the bell and show at the top.",
		"  enter opens an order; a accept, r reject (pick or type why),",
		"  p pack, s dispatch, d deliver, c cancel. Each shows the shopper's",
		"  SMS and its parts first; y sends it.",
		"Catalog: / searches by SKU, English or Hindi name; s sets stock,",
		"  e sets the price, d withdraws or offers it, i imports a CSV, x exports.",
		"Messages: enter shows a shopper's conversation, o stops or restarts",
		"  their SMS, f lists failed sends (r retries), u unreadable (d dismisses).",
		"Today: the day so far and the summary SMS sent at closing time.",
		"P pauses or resumes taking orders. tab switches views.",
		"Status bar: modem signal and SIM, SMS sent today of the daily cap, queue,",
		"  sync, whether the shop is open, the time.",
		"Any key closes this help. q quits.",
	},
	ErrDown:     "The agent is not running. Start it (tokri run), then try again.",
	ErrConflict: "Order %s is %s: it cannot be moved that way.",
	ErrNotFound: "That is no longer there: %s.",
	ErrInternal: "The agent could not do that; its log says why.",
	ErrReach:    "Could not reach the agent.",
	ErrNoAnswer: "The agent holds the store but does not answer: see its log, or restart it.",
}

var hindi = words{
	Title: "टोकरी", Orders: "ऑर्डर", Catalog: "सामान", Help: "मदद", Order: "ऑर्डर", Name: "नाम",
	New:      "%d नए",
	NoOrders: "कोई खुला ऑर्डर नहीं।", Loading: "लोड हो रहा है...",
	AgentDown: "एजेंट नहीं चल रहा: दुकान की फ़ाइल, केवल देखने के लिए।",
	ReadOnly:  "केवल देखें",
	Modem:     "मॉडेम", SMS: "SMS", Outbox: "कतार", Sync: "सिंक", Never: "कभी नहीं", NoSync: "बंद",
	SIM:  map[string]string{"ready": "SIM ठीक", "pin": "SIM PIN चाहिए", "puk": "SIM PUK चाहिए", "none": "SIM नहीं"},
	Open: "खुला", Closed: "बंद", Paused: "रुका",
	States: map[orders.State]string{
		orders.Placed: "नए", orders.Accepted: "स्वीकार", orders.Packed: "पैक",
		orders.Dispatched: "रास्ते में", orders.Delivered: "पहुँचा",
		orders.Rejected: "मना", orders.Cancelled: "रद्द",
	},
	Actions: map[string]string{
		"accept": "स्वीकार", "reject": "मना", "pack": "पैक",
		"dispatch": "रवाना", "deliver": "पहुँचाया", "cancel": "रद्द",
	},
	Delivery: "होम डिलीवरी", Pickup: "दुकान से", COD: "नकद", UPI: "UPI",
	Items: "सामान", Total: "कुल", Address: "पता", Payment: "भुगतान", History: "इतिहास", Col: "ID",
	Shopper: "ग्राहक", Lines: "सामान", Age: "कब",
	By:         map[string]string{orders.ByShopper: "ग्राहक ने", orders.ByOperator: "दुकान ने"},
	SMSPreview: "SMS %s को, %d भाग, %s:",
	NoSMS:      "इस कदम पर कोई SMS नहीं जाता।",
	OptedOut:   "ग्राहक ने SMS बंद किए हैं: कोई SMS नहीं जाएगा।",
	Confirm:    "y भेजें   esc वापस",
	PickReason: "मना क्यों? ग्राहक को बताया जाएगा:", TypeReason: "कारण लिखें",
	Reasons:   []string{"सामान खत्म", "आज दुकान बंद", "वहाँ डिलीवरी नहीं"},
	Done:      "ऑर्डर %s: %s।",
	PausedNow: "दुकान रुकी: नए ऑर्डर नहीं लिए जाएँगे।", ResumedNow: "दुकान फिर चालू: ऑर्डर लिए जा रहे हैं।",
	Search: "खोजें", Stock: "स्टॉक", Price: "दाम", Active: "चालू", Inactive: "बंद", SKU: "SKU",
	EditStock: "%s का नया स्टॉक:", EditPrice: "%s का नया दाम (रुपये):",
	ImportPath: "आयात के लिए CSV फ़ाइल:", ExportPath: "सामान सूची इस फ़ाइल में:",
	Imported: "आयात हुआ: %d नए, %d बदले।", Exported: "%d सामान %s में।", Importing: "आयात: %s",
	ImportChecking: "जाँच: %d पंक्तियाँ पढ़ीं", ImportWriting: "लिखे: %d में से %d सामान",
	BadLines: "कुछ आयात नहीं हुआ: %d गलत पंक्ति:",
	Saved:    "%s सहेजा।",

	Messages: "संदेश", FailedTitle: "जो SMS नहीं जा सके", UnreadTitle: "जो संदेश पढ़े नहीं जा सके (जैसे आए वैसे रखे हैं)",
	NoMessages: "कोई संदेश नहीं।", Conversation: "%s से बातचीत",
	LastSeen: "आखिरी बार", Lang: "भाषा", LastOrder: "आखिरी ऑर्डर", Stop: "STOP", Error: "गलती",
	MsgStates: map[string]string{"received": "आया", "queued": "कतार में", "sent": "गया", "delivered": "पहुँचा", "failed": "नहीं गया"},
	Retried:   "फिर से कतार में, संदेश %d।", Dismissed: "अपठित संदेश %d हटाया।", OptedOutNow: "%s को अब दुकान से SMS नहीं जाएँगे।", OptedInNow: "%s को फिर SMS जाएँगे।",
	KeysShoppers: "enter बातचीत  o SMS बंद/चालू  f नहीं गए  u अपठित  tab  q बाहर",
	KeysConv:     "o SMS बंद/चालू  esc वापस  tab  q बाहर",
	KeysFailed:   "r फिर भेजें  esc वापस  tab  q बाहर",
	KeysUnread:   "d हटाएँ  esc वापस  tab  q बाहर",

	Today: "आज", Revenue: "बिक्री", PerOrder: "SMS प्रति ऑर्डर", SentToday: "आज %d गए", TopItems: "सबसे ज़्यादा बिके", OpenNow: "खुले",
	SummaryAt:   "%s बजे %s को यह SMS जाएगा (%d भाग):",
	SummarySent: "आज %s को भेजा गया (%d भाग):",
	NoSummary:   "सारांश SMS नहीं: config में ऑपरेटर फ़ोन नहीं, या shop.summary \"off\" है।",
	KeysToday:   "tab ऑर्डर  P रोकें  ? मदद  q बाहर",

	KeysOrders:  "ऊपर/नीचे चुनें  enter खोलें  tab सामान  P रोकें  ? मदद  q बाहर",
	KeysOrder:   "a स्वीकार  r मना  p पैक  s रवाना  d पहुँचाया  c रद्द  esc वापस",
	KeysCatalog: "/ खोजें  s स्टॉक  e दाम  d चालू/बंद  i आयात  x निर्यात  tab  q बाहर",
	KeysEdit:    "enter सहेजें   esc रद्द",
	KeysConfirm: "y भेजें   esc वापस",
	HelpText: []string{
		"ऑर्डर: नया ऑर्डर आने पर घंटी बजती है और वह ऊपर दिखता है।",
		"  enter से ऑर्डर खोलें; a स्वीकार, r मना (कारण चुनें या लिखें),",
		"  p पैक, s रवाना, d पहुँचाया, c रद्द। हर कदम पहले ग्राहक का",
		"  SMS और उसके भाग दिखाता है; y से भेजें।",
		"सामान: / से SKU, अंग्रेज़ी या हिंदी नाम से खोजें; s स्टॉक,",
		"  e दाम, d बिक्री बंद/चालू, i CSV आयात, x निर्यात।",
		"संदेश: enter से ग्राहक की बातचीत, o से उसके SMS बंद/चालू,",
		"  f से न गए SMS (r फिर भेजें), u से अपठित संदेश (d हटाएँ)।",
		"आज: अब तक का दिन, और दुकान बंद होने पर जाने वाला सारांश SMS।",
		"P से ऑर्डर लेना रोकें या फिर चालू करें। tab से दृश्य बदलें।",
		"नीचे: मॉडेम सिग्नल, SIM, आज के SMS और सीमा, कतार, सिंक, दुकान, समय।",
		"कोई भी कुंजी मदद बंद करती है। q से बाहर।",
	},
	ErrDown:     "एजेंट नहीं चल रहा। उसे चालू करें (tokri run), फिर कोशिश करें।",
	ErrConflict: "ऑर्डर %s अभी %s है: यह कदम नहीं हो सकता।",
	ErrNotFound: "यह अब मौजूद नहीं: %s।",
	ErrInternal: "एजेंट यह नहीं कर सका; कारण उसके लॉग में है।",
	ErrReach:    "एजेंट से बात नहीं हो सकी।",
	ErrNoAnswer: "एजेंट चल रहा है पर जवाब नहीं दे रहा; उसका लॉग देखें या उसे फिर चालू करें।",
}

func wordsFor(l Lang) *words {
	if l == Hindi {
		return &hindi
	}
	return &english
}
