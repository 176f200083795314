// Package storetest is the contract suite every server.Storage passes: the
// bbolt and PostgreSQL backends run the same tests through Run.
package storetest
