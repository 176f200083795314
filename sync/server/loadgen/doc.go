// Package loadgen drives a running sync server with many simulated agents
// over real HTTP, each pushing outbox records and pulling catalog deltas as
// an agent does, and reports requests per second and latency percentiles.
// `tokri-central bench` wires it to a server on loopback.
package loadgen
