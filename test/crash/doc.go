// Package crash holds the crash test: the real agent binary is killed with
// SIGKILL at random instants while shoppers' messages flow through the
// virtual modem, restarted, and the store and the network are then counted
// against the promises of the message path. Run it with
// `go test ./test/crash -crash.n=N`; `make soak` runs a large N.
package crash
