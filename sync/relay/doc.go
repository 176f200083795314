// Package relay carries USSD steps from the central server to a store's
// agent over a connection the agent opens and keeps open, because the
// store's box sits behind a mobile network's NAT and cannot be called.
// Both ends live here, sharing one format: Client (the agent's end, which
// dials, reconnects with back-off and answers steps) and Hub (central's
// end, one connection per store, which relays a step and waits for the
// screen).
//
// The connection is an HTTP/1.1 upgrade of GET /v1/relay signed as sync
// requests are (sync/wire: store, timestamp, nonce, HMAC with the store's
// secret). Central answers 101 with a nonce of its own, and from then on
// each frame is a length, a JSON body and an HMAC-SHA256 over the
// direction, the frame's sequence number and the body, keyed from the
// store's secret and both nonces. A frame that does not verify ends the
// connection, so neither a forged nor a replayed frame can place an
// order, even over plain HTTP; a replayed handshake gets a fresh server
// nonce and so can sign nothing. A connection counts as the store's only
// once its first frame verifies.
//
// CallbackToken is the secret in the URL an aggregator calls
// (/ussd/{format}/{store}/{token}): derived from the store's secret, so
// it can be given out without giving out the secret.
package relay
