// Package faultproxy is a reverse proxy for tests that stands between the
// agent's sync client and the central server and misbehaves on request:
// it drops requests, delays them, cuts a connection in the middle of a
// request or response body, and sends a request to the server twice.
//
// A 2G link does all of these to the agent. Each fault is chosen per
// request by a Decider the test sets, so a test can script one fault at a
// precise point or let a seeded random mix run for a while and then stop
// it (SetDecider(nil)) to check that everything converged.
//
// The proxy forwards to a target it can be pointed at while it runs
// (SetTarget), so a test can stop the server, start a new one on another
// port and keep the agent's URL unchanged: Upstream does that bookkeeping.
package faultproxy
