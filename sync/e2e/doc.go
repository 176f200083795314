// Package e2e tests sync end to end: the agent's real store file, catalog,
// orders and sync client on one side, the real central server on bbolt on
// the other, joined over loopback through sync/faultproxy, which drops,
// delays, cuts and duplicates requests and restarts the server while the
// agent keeps taking orders.
//
// The tests check what a store owner would: once the faults stop, the
// server holds every order exactly once, at the prices the shoppers were
// quoted, and the agent's catalog equals the server's.
package e2e
