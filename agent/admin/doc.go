// Package admin is the agent's local admin API: JSON over HTTP on a Unix
// socket in the data directory (<data>/tokri.sock, mode 0660), so that the
// command line and the console work on the shop through the one process
// that owns the bbolt file.
//
// The Server answers /v1 requests for orders, the catalog, shoppers, the
// agent's status (sync's among it) and a sync round on demand; the Client
// has one method per endpoint, and Env.Open hands the operator's tools
// (cmd/tokri's commands, the console) the Client or the file. The sync client is reached through Syncer, defined here where it
// is used, and is optional: a store may run alone.
// While no agent runs, what makes sense offline (reading, catalog, stock
// and price changes: Reach FileOK) opens the bbolt file directly instead; bbolt's file lock keeps that from ever
// happening while an agent holds the file.
//
// Every endpoint goes through the same service code whether it is reached
// over the socket or directly, so the two paths give the same answers and
// the same errors.
package admin
