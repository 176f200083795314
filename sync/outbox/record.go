package outbox

import (
	"encoding/json"
	"time"
)

// Kinds of record.
const (
	KindOrder      = "order"       // Body: the whole order as placed
	KindOrderState = "order_state" // Body: OrderState
	KindStock      = "stock"       // Body: Stock
)

// Record is one change waiting for the central server.
type Record struct {
	Seq  uint64          `json:"seq"`
	Key  string          `json:"key"`
	Kind string          `json:"kind"`
	Body json.RawMessage `json:"body"`
	At   time.Time       `json:"at"`
	// Moves are the stock movements the record implies without being a
	// stock record (see AddMoving). They stay on the agent.
	Moves []Stock `json:"moves,omitempty"`
}

// OrderState is the body of a KindOrderState record.
type OrderState struct {
	ID     string    `json:"id"`
	State  string    `json:"state"`
	Reason string    `json:"reason,omitempty"`
	By     string    `json:"by,omitempty"`
	At     time.Time `json:"at"`
}

// Stock is the body of a KindStock record: units added (positive) or taken
// (negative) on the agent, and why ("reserve order:ACD34", "set").
type Stock struct {
	SKU    string `json:"sku"`
	Delta  int    `json:"delta"`
	Reason string `json:"reason,omitempty"`
}
