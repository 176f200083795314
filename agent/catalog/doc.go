// Package catalog is the shop's list of items, their prices and stock, kept
// in the agent's bbolt file.
//
// Items arrive from a CSV the operator edits (ParseCSV checks every row and
// names every bad line, and Import takes a file only when all of it is good)
// or one at a time from the central server (Put). Prices are int64 paise.
// A stock movement by hand (Reserve, Release, SetStock) adds a "stock"
// record to the sync outbox in the same transaction, so the central server
// learns of it once; an order's movements (ReserveForOrder, ReleaseForOrder)
// travel with the order's own record instead.
//
// Every write bumps Version, so readers can cache: Cache keeps the
// protocol/match index of the active items and rebuilds it only when the
// catalog changed, and only reloads prices and stock when nothing the
// matcher reads changed.
package catalog
