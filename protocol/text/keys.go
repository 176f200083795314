package text

// Key names one reply.
type Key int

// Replies. The comment after each lists its arguments in order, with
// their kinds (see Arg).
const (
	WelcomeHead      Key = iota // Shop
	WelcomeTail                 // (none): the one-line hint under the categories
	WelcomeMore                 // (none): footer when more categories follow
	Hint                        // (none)
	Help                        // (none)
	NotUnderstood               // (none)
	NoMatch                     // Words: what found nothing
	NotFound                    // Words: order words that found nothing, after an order
	SlowDown                    // (none)
	Closed                      // Shop, Time it opens
	Paused                      // Shop
	Stopped                     // Shop
	Started                     // (none)
	LangSet                     // (none)
	Added                       // Item, Count of items in cart, Money total
	OutOfStock                  // Item
	ItemsTail                   // (none): last page of a category or search
	ItemsMore                   // (none): "%d" in it becomes the items left
	ChooseHead                  // Words: the ambiguous words
	ChooseTail                  // (none)
	CartEmpty                   // (none)
	CartHead                    // (none)
	CartTail                    // Money total
	CartMore                    // (none): "%d" in it becomes the lines left
	Removed                     // Item, Count of items in cart, Money total
	Cleared                     // (none)
	QtySet                      // Item, Count new quantity, Money total
	NoSuchLine                  // Count: the line number asked for
	AskFulfil                   // (none)
	AskAddress                  // (none)
	AskPay                      // (none)
	Confirm                     // Count items, Money total, Mode, Pay
	Placed                      // Order, Money total, Order
	StatusLine                  // Order, State
	NoOrder                     // (none)
	Cancelled                   // Order
	CannotCancel                // Order, State
	NothingToRepeat             // (none)
	Accepted                    // Shop, Order, Money total, Time it arrives by
	Rejected                    // Shop, Order, Reason
	Delivered                   // Order, Shop
	ModeDelivery                // (none): a Mode argument
	ModePickup                  // (none): a Mode argument
	PayCOD                      // (none): a Pay argument
	PayUPI                      // (none): a Pay argument
	StateNew                    // (none): a State argument
	StateAccepted               // (none)
	StatePacked                 // (none)
	StateOnTheWay               // (none)
	StateDelivered              // (none)
	StateCancelled              // (none)
	StateRejected               // (none)
	OpHelp                      // (none)
	OpDenied                    // (none)
	OpDone                      // Reason: what was done
	OpFailed                    // Reason: what went wrong
	OpNoOrders                  // (none)
	OpOrderLine                 // Order, Money total, Number shopper, Address (or ModePickup)
	NoMatchHead                 // Words: head of the welcome when a search found nothing
	ClosedHead                  // Shop, Time it opens: head of the welcome while closed
	MinOrder                    // Money minimum, Money cart subtotal
	AddedAsk                    // Item, Count of items in cart, Money total: for a shopper with no address yet
	AskAddressPickup            // (none): AskAddress where pickup is allowed
	ConfirmPay                  // Count items, Money total, Mode, Pay: Confirm where two payments are offered
	PlacedUPI                   // Order, Money total, VPA, Order
	OutOfStockLeft              // Item, Count left
	CartFeeTail                 // Money items, Money delivery fee, Money total: CartTail when delivery costs
	AddressSaved                // (none)
	ItemsAdded                  // Count of lines added: the Item of Added for several lines
	Withdrawn                   // Item: no longer sold, taken out of the cart; put before a reply
	WithdrawnShort              // Item: Withdrawn where the reply leaves little room
	WithdrawnSome               // Count of items: Withdrawn for several
	ConfirmLines                // Item: every line with quantity and pack, Money total, Mode, Pay
	ModeDeliveryTo              // Reason: the address, as a Mode argument
	CancelAsk                   // Order, Count items, Money total: asked once before cancelling
	CancelKept                  // Order: the shopper chose to keep it
	StoppedOpen                 // Shop, Order: Stopped while an order is open
	AcceptedPickup              // Shop, Order, Money total, Time it is ready from: Accepted for pickup
	OutForDelivery              // Order, Money total
	ReadyForPickup              // Order, Shop, Money total
	CancelledWhy                // Shop, Order, Reason: the shop cancelled an order
	ClosedNote                  // Time it opens: said first to a shopper writing while closed
	PausedHead                  // Shop: head of the welcome while the shop takes no orders
	PausedNote                  // (none): said first to a shopper writing while paused
	OutOfStockHead              // Item: head of the in-stock alternatives to an item sold out
	OpNewOrder                  // Order, Money total, Number shopper, Address (or ModePickup), Lines: to operators
	ModeFeeTo                   // Money delivery fee, Reason the address: ModeDeliveryTo where delivery costs, so the total holds no surprise
	numKeys
)

// Arg is a kind of argument, with the longest value the budgets allow.
// Callers shorten longer values (render.Fit cuts what still overflows).
type Arg int

// Argument kinds and their limits, in characters.
const (
	Shop    Arg = iota // shop name, up to 24
	Time               // a time of day as Clock writes it, up to 16 ("10:30 am", "सुबह 10:30 बजे")
	Words              // shopper's words, up to 24
	Item               // item with size, up to 36 ("Fortune Mustard Oil 1l")
	Count              // an int, up to 999
	Money              // render.Money, up to 10 ("Rs12345.50")
	Order              // order id, up to 8
	State              // a State... text
	Mode               // a Mode... text
	Pay                // a Pay... text
	Reason             // free text, up to 30
	VPA                // a UPI address, up to 40
	Number             // a phone number, up to 16
	Address            // a shopper's address, up to 40 in lists, 120 in OpNewOrder
	Lines              // order lines, as long as they are (the text is fitted)
)

// MaxLen is the longest value of each kind the budgets are tested with.
var MaxLen = map[Arg]int{Shop: 24, Time: 16, Words: 24, Item: 36, Count: 3, Money: 10, Order: 8, Reason: 30, VPA: 40,
	Number: 16, Address: 40}

// Args lists each Key's arguments, in order.
var Args = map[Key][]Arg{
	WelcomeHead: {Shop}, NoMatch: {Words}, NotFound: {Words}, Closed: {Shop, Time}, Paused: {Shop},
	Stopped: {Shop}, Added: {Item, Count, Money}, OutOfStock: {Item}, ChooseHead: {Words}, CartTail: {Money},
	Removed: {Item, Count, Money}, QtySet: {Item, Count, Money}, NoSuchLine: {Count},
	Confirm: {Count, Money, Mode, Pay}, Placed: {Order, Money, Order}, StatusLine: {Order, State},
	Cancelled: {Order}, CannotCancel: {Order, State}, Accepted: {Shop, Order, Money, Time},
	Rejected: {Shop, Order, Reason}, Delivered: {Order, Shop}, OpDone: {Reason}, OpFailed: {Reason},
	OpOrderLine: {Order, Money, Number, Address}, NoMatchHead: {Words}, ClosedHead: {Shop, Time},
	MinOrder: {Money, Money}, AddedAsk: {Item, Count, Money}, ConfirmPay: {Count, Money, Mode, Pay},
	PlacedUPI: {Order, Money, VPA, Order}, OutOfStockLeft: {Item, Count}, ItemsAdded: {Count},
	CartFeeTail: {Money, Money, Money}, Withdrawn: {Item}, WithdrawnShort: {Item},
	WithdrawnSome: {Count}, ConfirmLines: {Item, Money, Mode, Pay}, ModeDeliveryTo: {Reason},
	CancelAsk: {Order, Count, Money}, CancelKept: {Order}, StoppedOpen: {Shop, Order},
	AcceptedPickup: {Shop, Order, Money, Time}, OutForDelivery: {Order, Money},
	ReadyForPickup: {Order, Shop, Money}, CancelledWhy: {Shop, Order, Reason}, ClosedNote: {Time},
	PausedHead: {Shop}, OutOfStockHead: {Item}, OpNewOrder: {Order, Money, Number, Address, Lines},
	ModeFeeTo: {Money, Reason},
}
