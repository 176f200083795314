// Package shop is the conversation a shopper has with the store over SMS:
// a numbered welcome, browsing by category and page, search, one-shot
// orders ("2 atta 5kg, 1 oil"), the cart, checkout, and STATUS, CANCEL and
// REPEAT afterwards; and the operator's commands from an allowlisted phone.
//
// Shop.Handle runs inside the one store transaction that marks an inbound
// message handled, so the session, cart, order and reply it writes commit
// together with that mark or not at all. The transaction may run more than
// once (group commit), so Handle keeps nothing outside it except a cache
// derived from the catalog version, which is safe to rebuild.
//
// State lives in the shop's own buckets: "shop/sessions" (what the last
// reply offered, forgotten after the session expiry), "shop/carts" (kept a
// day), "shop/limits" (per-sender counters) and "shop/state" (paused).
// Every reply is rendered to its budget: one GSM-7 segment in English, two
// UCS-2 segments in Hindi; lists page instead of growing.
package shop
