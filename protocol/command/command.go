package command

import (
	"strings"

	"github.com/tokrihq/tokri/protocol"
	"github.com/tokrihq/tokri/protocol/size"
)

// Command is one parsed inbound message. Name is a fixed lower-case label,
// safe to log.
type Command interface {
	Name() string
}

// Shopper commands.
type (
	// Menu asks for the welcome screen with categories: HI, MENU, namaste.
	Menu struct{}
	// Help asks how to order.
	Help struct{}
	// Stop asks for no more messages until Start.
	Stop struct{}
	// Start undoes Stop.
	Start struct{}
	// Lang switches the reply language.
	Lang struct{ Lang protocol.Lang }
	// Pick is a bare number: a choice on a numbered screen. On a paged
	// list render.MoreKey (9) and render.BackKey (0) move between pages.
	Pick struct{ N int }
	// More asks for the next page.
	More struct{}
	// Back asks for the previous page or screen.
	Back struct{}
	// Search looks items up by words; it is also what any text that is not
	// a command becomes, so a Search the catalog cannot answer is the
	// "not understood" case.
	Search struct{ Words string }
	// Order adds one or more lines to the cart; Address is a delivery
	// address written after them ("..., ghar 56 Indira Colony"), as written.
	Order struct {
		Lines   []Line
		Address string
	}
	// Cart shows the cart.
	Cart struct{}
	// Remove drops cart line N, or the line matching Words; both empty
	// means the shopper did not say which.
	Remove struct {
		N     int
		Words string
	}
	// SetQty changes the quantity of cart line N; N 0 is the line added
	// last ("nahi 3 chahiye"). Size, when set, is the amount wanted
	// instead of a count of packs ("sirf 1 kg").
	SetQty struct {
		N, Qty int
		Size   size.Size
	}
	// Clear empties the cart.
	Clear struct{}
	// Checkout starts placing the order.
	Checkout struct{}
	// Yes confirms what was asked.
	Yes struct{}
	// No declines what was asked.
	No struct{}
	// Fulfil chooses delivery or pickup.
	Fulfil struct{ Mode Mode }
	// Pay chooses how to pay.
	Pay struct{ Method Method }
	// Address gives the delivery address, as written.
	Address struct{ Text string }
	// Status asks where an order is; Order is empty for the latest.
	Status struct{ Order string }
	// Cancel cancels an order; Order is empty for the latest.
	Cancel struct{ Order string }
	// Repeat orders again what an order held; Order is empty for the latest.
	Repeat struct{ Order string }
	// Unknown is a message with nothing to act on: empty, only emoji or
	// punctuation, or numbers that fit no command.
	Unknown struct{ Text string }
)

// Line is one line of an order: "2 atta 5kg" is Qty 2, Words "atta",
// Size 5kg.
type Line struct {
	Qty   int       // 0 when not given
	Words string    // folded words naming the item, for match.Index.Find
	Size  size.Size // zero when not given
	Price int       // rupees, 0 when not given: "10 wala parle g" is the Rs10 pack
}

// Count is the number of packs the line asks for: Qty, or 1 when not given.
func (l Line) Count() int { return max(l.Qty, 1) }

// Query is what to look the line's item up by: its words and size.
func (l Line) Query() string {
	if l.Size.IsZero() {
		return l.Words
	}
	return l.Words + " " + l.Size.String()
}

// Mode is how an order reaches the shopper.
type Mode string

// Fulfilment modes.
const (
	Delivery Mode = "delivery"
	Pickup   Mode = "pickup"
)

// Method is how an order is paid.
type Method string

// Payment methods.
const (
	COD Method = "cod"
	UPI Method = "upi"
)

func (Menu) Name() string     { return "menu" }
func (Help) Name() string     { return "help" }
func (Stop) Name() string     { return "stop" }
func (Start) Name() string    { return "start" }
func (Lang) Name() string     { return "lang" }
func (Pick) Name() string     { return "pick" }
func (More) Name() string     { return "more" }
func (Back) Name() string     { return "back" }
func (Search) Name() string   { return "search" }
func (Order) Name() string    { return "order" }
func (Cart) Name() string     { return "cart" }
func (Remove) Name() string   { return "remove" }
func (SetQty) Name() string   { return "setqty" }
func (Clear) Name() string    { return "clear" }
func (Checkout) Name() string { return "checkout" }
func (Yes) Name() string      { return "yes" }
func (No) Name() string       { return "no" }
func (Fulfil) Name() string   { return "fulfil" }
func (Pay) Name() string      { return "pay" }
func (Address) Name() string  { return "address" }
func (Status) Name() string   { return "status" }
func (Cancel) Name() string   { return "cancel" }
func (Repeat) Name() string   { return "repeat" }
func (Unknown) Name() string  { return "unknown" }
func (Operator) Name() string { return "operator" }

// Operator is a command from the store's allowlisted phone: "OP 4321
// ACCEPT K7M3". The agent checks the sender and the PIN; Check checks
// the shape.
type Operator struct {
	PIN  string
	Verb string   // one of the Op... constants, or what was written
	Args []string // upper case, as written
}

// String hides the PIN, so an Operator printed by mistake leaks nothing.
func (o Operator) String() string {
	return "OP **** " + strings.TrimSpace(o.Verb+" "+strings.Join(o.Args, " "))
}
