// Package orders is the life of an order: placed by a shopper from a cart,
// then accepted, packed, dispatched and delivered by the operator, or
// rejected by the operator or cancelled before it is packed.
//
// Each change happens inside the caller's store transaction, together with
// everything it implies: stock reserved at placement (every line or none)
// and released exactly once if the order is rejected or cancelled, a record
// in the sync outbox with an idempotency key unique to the change, and one
// notification SMS to the shopper in their language unless they opted out
// (TransitionQuiet leaves the telling to a caller whose own message does).
// The stock an order takes or gives back travels in its order and
// order_state records (the central server works it out from them), so it
// adds no stock records of its own; the outbox still counts the movement as
// pending until the server has the record.
//
// Orders are named by five characters from an alphabet without look-alikes
// (no 0/O, 1/I, 2/Z, 5/S, 8/B), short enough to read out over the phone.
package orders
