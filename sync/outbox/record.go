package outbox

import (
	"encoding/json"
	"time"

	"github.com/tokrihq/tokri/sync/wire"
)

// Kinds of record: the kinds the server accepts, so a record goes as stored.
const (
	KindOrder      = wire.KindOrder      // Body: the whole order as placed
	KindOrderState = wire.KindOrderState // Body: OrderState
	KindStock      = wire.KindStock      // Body: Stock
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

// OrderState is the body of a KindOrderState record. It is the wire's body
// itself, so the stored JSON is what the server decodes.
type OrderState = wire.OrderStateBody

// Stock is the body of a KindStock record: units added (positive) or taken
// (negative) on the agent, and why ("reserve order:ACD34", "set"). It is the
// wire's body itself, so the stored JSON is what the server decodes.
type Stock = wire.StockBody
