// Package testkit holds what several packages' tests share: a store file
// in a temp dir that is checked at cleanup, the example catalog, the shop
// the golden conversations were written for and the plumbing of the golden
// scripts, a settable clock, a virtual modem with an agent on it over the
// real serial code, and programs run as real child processes.
//
// It is for tests only: nothing outside _test.go files imports it. The
// tests of agent/store and hardware/vmodem cannot use it (it imports
// both), so they keep their own rigs.
package testkit
