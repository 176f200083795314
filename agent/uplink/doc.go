// Package uplink is the agent's side of sync: it pushes the records that
// sync/outbox holds to the central server and pulls catalog deltas back,
// over a link that is slow, metered and often down.
//
// A round pushes pending records in batches and acknowledges (outbox.Ack)
// only those the server answered for as stored; then it pulls the catalog
// changes since the version it last completed, a page at a time, applying
// each page in one transaction together with the cursor that follows it, so
// a cut link resumes where it stopped and never applies a page twice in a
// way that matters (applying an item is an overwrite).
//
// Shoppers never wait for the network: the client reads what it sends in one
// short read transaction, talks to the server with no transaction open, and
// writes the outcome in another short one. Run repeats rounds in the
// background, backing off with jitter while the server cannot be reached,
// and keeps to a daily byte budget: a round that would go past it stops, and
// the next one runs once the day (in Options.Location) has turned.
//
// What the client knows between rounds (catalog version, cursor, last
// success and error, bytes used today) is kept in the "sync/state" bucket,
// so it survives a restart. An item withdrawn centrally is stored inactive,
// which is all the shop needs to take it out of carts and say so; records
// the server refuses for good are set aside in "sync/rejected" instead of
// blocking the queue.
//
// Orders are stored by agent/orders under the agent's own JSON names; the
// client re-encodes them as wire.OrderBody on the way out, and marks an
// order Synced once the server acknowledges its latest change.
//
// The local stock of an item is the server's figure plus the movements made
// here and not yet acknowledged (outbox.LocalStockDelta, negative when stock
// left), so a pull never undoes a sale the server has not heard of.
package uplink
