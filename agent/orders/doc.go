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
//
// Orders are named by five characters from an alphabet without look-alikes
// (no 0/O, 1/I, 2/Z, 5/S, 8/B), short enough to read out over the phone.
package orders
