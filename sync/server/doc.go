// Package server is the central sync server: the /v1 HTTP API of sync/wire
// (request authentication, outbox pushes, catalog deltas) over a Storage.
//
// Storage is defined here, where it is consumed; boltstore (one bbolt file)
// and pgstore (PostgreSQL) implement it, and storetest is the contract suite
// both pass. The store a request acts on is only ever the one its signature
// proves, so one store cannot read or write another's data.
package server
