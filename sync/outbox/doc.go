// Package outbox is the agent's sync outbox: every change the central server
// must hear about (an order placed, an order's state, a stock movement) is
// added in the same bbolt transaction as the change itself, so a crash can
// never leave a change without its record or a record without its change.
//
// Records are kept under big-endian sequence keys in the order they were
// added, with JSON bodies, until the sync client acknowledges them. Each
// carries an idempotency key made on the agent ("<kind>:<order id or
// sku>:<seq or state>") so the server applies a record resent after a lost
// answer only once.
//
// A running sum of unacknowledged stock deltas per SKU is kept beside the
// records, so LocalStockDelta is one read however long the link was down. It
// counts stock records (an operator's count) and the moves an order or its
// cancellation carries (AddMoving): the server takes an order's lines off its
// stock from the order record itself, so no stock record repeats them.
package outbox
