// Package wire is the sync protocol that the store agent and the central
// server share: the /v1 HTTP paths, the JSON bodies of each call, request
// signing (HMAC-SHA256 over method, path, body digest, timestamp and nonce),
// gzip bodies with byte counts, the JSON error shape with its codes, the
// catalog delta cursor, and pinning of the server's TLS certificate.
//
// Both ends import this package and nothing else to agree on the format, so a
// change here is a protocol change: add fields, never repurpose them, and bump
// the path version for anything an old peer would misread. docs/sync.md is
// the prose description of the same protocol.
package wire
