package orders

import "time"

// State is where an order is in its life.
type State string

// States. Delivered, rejected and cancelled are final.
const (
	Placed     State = "placed"
	Accepted   State = "accepted"
	Packed     State = "packed"
	Dispatched State = "dispatched"
	Delivered  State = "delivered"
	Rejected   State = "rejected"
	Cancelled  State = "cancelled"
)

// Final says whether no transition leaves s.
func (s State) Final() bool { return s == Delivered || s == Rejected || s == Cancelled }

// Modes of fulfilment and payments.
const (
	ModeDelivery = "delivery"
	ModePickup   = "pickup"
	PayCOD       = "cod"
	PayUPI       = "upi"
)

// Who makes a change. A shopper may only cancel; anyone else (the operator
// at the console or by SMS, the sync server) may make any allowed step.
const (
	ByShopper  = "shopper"
	ByOperator = "operator"
)

// Line is one item of an order, with the name and price it had when the
// shopper ordered it.
type Line struct {
	SKU    string `json:"sku"`
	Name   string `json:"name"`
	NameHi string `json:"name_hi,omitempty"`
	Unit   string `json:"unit,omitempty"`
	Qty    int    `json:"qty"`
	Price  int64  `json:"price"` // paise per unit
}

// Change is one step of an order's history.
type Change struct {
	State  State     `json:"state"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
	By     string    `json:"by,omitempty"`
}

// Order is one shopper's order. Money is in paise, times in UTC.
type Order struct {
	ID          string    `json:"id"`
	Shopper     string    `json:"shopper"`
	Lines       []Line    `json:"lines"`
	Subtotal    int64     `json:"subtotal"`
	DeliveryFee int64     `json:"delivery_fee"`
	Total       int64     `json:"total"`
	Mode        string    `json:"mode"` // ModeDelivery or ModePickup
	Address     string    `json:"address,omitempty"`
	Payment     string    `json:"payment"` // PayCOD or PayUPI
	State       State     `json:"state"`
	Reason      string    `json:"reason,omitempty"` // of the latest change
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	History     []Change  `json:"history"`
	// Synced says the central server has acknowledged the latest change.
	Synced bool `json:"synced"`
}

// Items counts the units in the order.
func (o Order) Items() int {
	n := 0
	for _, l := range o.Lines {
		n += l.Qty
	}
	return n
}
