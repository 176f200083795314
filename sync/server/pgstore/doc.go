// Package pgstore keeps the central server's Storage in PostgreSQL (through
// pgx), for a server that outgrows one bbolt file or runs several replicas.
// Every table is keyed by store first and every query names the store.
package pgstore
