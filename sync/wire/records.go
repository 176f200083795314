package wire

import (
	"encoding/json"
	"time"
)

// Kinds of outbox record the server accepts.
const (
	KindOrder      = "order"       // Body is an OrderBody: the whole order as placed
	KindOrderState = "order_state" // Body is an OrderStateBody
	KindStock      = "stock"       // Body is a StockBody: a movement no order explains
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
// in exactly one of Acked and Rejected. Catalog, when present, says how the
// push moved the store's catalog version.
type PushResponse struct {
	Acked    []Ack        `json:"acked"`
	Rejected []Reject     `json:"rejected,omitempty"`
	Catalog  *PushCatalog `json:"catalog,omitempty"`
}

// PushCatalog is the catalog version just before the push was applied
// (From) and just after (Version), read in the push's own transaction. A push
// whose records moved stock bumps the version once; one that moved none
// leaves From equal to Version. An agent whose last complete catalog version
// is From, with no delta under way, already knows every change up to
// Version: the only ones are its own stock movements, which it made locally.
// It may take Version as its own and skip the catalog call when nothing
// else is due.
type PushCatalog struct {
	From    uint64 `json:"from"`
	Version uint64 `json:"version"`
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

// OrderBody is the Body of a KindOrder record. Line prices are the prices
// the order was placed at; the server keeps them and never reprices an
// order. The server takes every line's Qty off its stock of the SKU when it
// stores the order (and puts it back when the order is rejected or
// cancelled), so an order needs no stock records beside it.
//
// The agent sends what the server cannot do without: ids, SKUs, quantities,
// prices, totals, mode, payment, address and the time placed, in whole
// seconds. Line names, a history and UpdatedAt are optional (the server has
// the names in its catalog and builds the history from order_state records).
type OrderBody struct {
	ID          string        `json:"id"`
	Shopper     string        `json:"shopper,omitempty"`
	Lines       []OrderLine   `json:"lines"`
	Subtotal    int64         `json:"subtotal"`
	DeliveryFee int64         `json:"deliveryFee,omitempty"`
	Total       int64         `json:"total"`
	Mode        string        `json:"mode,omitempty"`
	Address     string        `json:"address,omitempty"`
	Payment     string        `json:"payment,omitempty"`
	State       string        `json:"state,omitempty"` // "" is placed
	Reason      string        `json:"reason,omitempty"`
	CreatedAt   time.Time     `json:"createdAt"`
	UpdatedAt   time.Time     `json:"updatedAt,omitzero"`
	History     []StateChange `json:"history,omitempty"`
}

// OrderLine is one line of an order, priced in paise at placing time.
type OrderLine struct {
	SKU    string `json:"sku"`
	Name   string `json:"name,omitempty"`
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
// (negative when stock leaves) of one SKU that no order explains, such as an
// operator's count. The server adds Delta to its stock for the SKU, which
// bumps the catalog version.
type StockBody struct {
	SKU    string `json:"sku"`
	Delta  int    `json:"delta"`
	Reason string `json:"reason,omitempty"`
}
