package wire

import (
	"encoding/json"
	"time"
)

// Kinds of outbox record the server accepts.
const (
	KindOrder      = "order"       // Body is an OrderBody: the whole order as placed
	KindOrderState = "order_state" // Body is an OrderStateBody
	KindStock      = "stock"       // Body is a StockBody
)

// Record is one sync/outbox record as it travels. Seq is the agent's local
// sequence number, echoed in the answer so the agent can ack by Seq; Key is
// the idempotency key made on the agent and is what the server deduplicates
// on (per store).
type Record struct {
	Seq  uint64          `json:"seq"`
	Key  string          `json:"key"`
	Kind string          `json:"kind"`
	Body json.RawMessage `json:"body"`
	At   time.Time       `json:"at"`
}

// PushRequest is the body of POST /v1/outbox.
type PushRequest struct {
	Records []Record `json:"records"`
}

// PushResponse answers POST /v1/outbox. Every record of the request appears
// in exactly one of Acked and Rejected.
type PushResponse struct {
	Acked    []Ack    `json:"acked"`
	Rejected []Reject `json:"rejected,omitempty"`
}

// Ack says the server holds the record. Duplicate is true when it already
// held a record with this Key (the first copy is kept; nothing is stored
// twice).
type Ack struct {
	Seq       uint64 `json:"seq"`
	Key       string `json:"key"`
	Duplicate bool   `json:"duplicate,omitempty"`
}

// Reject says the server will never store this record as sent (CodeBadRecord):
// retrying it unchanged cannot succeed, so the agent should set it aside
// rather than let it block the queue.
type Reject struct {
	Seq     uint64 `json:"seq"`
	Key     string `json:"key"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// OrderBody is the Body of a KindOrder record. JSON field names match the
// agent's orders.Order field names case-insensitively, so the agent may send
// that struct as it is. Line prices are the prices the order was placed at;
// the server keeps them and never reprices an order.
type OrderBody struct {
	ID          string        `json:"id"`
	Shopper     string        `json:"shopper,omitempty"`
	Lines       []OrderLine   `json:"lines"`
	Subtotal    int64         `json:"subtotal"`
	DeliveryFee int64         `json:"deliveryFee"`
	Total       int64         `json:"total"`
	Mode        string        `json:"mode,omitempty"`
	Address     string        `json:"address,omitempty"`
	Payment     string        `json:"payment,omitempty"`
	State       string        `json:"state"`
	Reason      string        `json:"reason,omitempty"`
	CreatedAt   time.Time     `json:"createdAt"`
	UpdatedAt   time.Time     `json:"updatedAt"`
	History     []StateChange `json:"history,omitempty"`
}

// OrderLine is one line of an order, priced in paise at placing time.
type OrderLine struct {
	SKU    string `json:"sku"`
	Name   string `json:"name"`
	NameHi string `json:"nameHi,omitempty"`
	Unit   string `json:"unit,omitempty"`
	Qty    int    `json:"qty"`
	Price  int64  `json:"price"`
}

// StateChange is one step in an order's history.
type StateChange struct {
	State  string    `json:"state"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
	By     string    `json:"by,omitempty"`
}

// OrderStateBody is the Body of a KindOrderState record.
type OrderStateBody struct {
	ID     string    `json:"id"`
	State  string    `json:"state"`
	Reason string    `json:"reason,omitempty"`
	By     string    `json:"by,omitempty"`
	At     time.Time `json:"at"`
}

// StockBody is the Body of a KindStock record: a movement of Delta units
// (negative when stock leaves, as on an order) of one SKU. The server adds
// Delta to its stock for the SKU, which bumps the catalog version.
type StockBody struct {
	SKU    string `json:"sku"`
	Delta  int    `json:"delta"`
	Reason string `json:"reason,omitempty"`
}
