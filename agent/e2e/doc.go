// Package e2e holds end-to-end tests of the whole SMS path: the agent with
// a real bbolt store, the real serial code on a pseudo-terminal, and the
// virtual modem acting as phones, network and faults. It has no code of
// its own outside the tests.
package e2e
