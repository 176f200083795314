// Package conversation replays the shop's golden conversations through the
// whole stack: a real bbolt store with the example catalog, the shop
// handler, the agent with its serial modem driver, and the virtual modem
// on a pseudo-terminal. Every line a shopper or the operator sends goes in
// through the virtual modem's network side, and every reply is read back
// as the network saw it: text, segments and encoding, which is what the
// shop pays for.
//
// The golden files are agent/shop's (agent/shop/testdata/*.txt), read at
// test time, so a changed reply fails here as it fails there; both run
// the same shop (config, numbers, start time) from internal/testkit. To change
// the conversations on purpose, rewrite them from the handler:
//
//	go test ./agent/shop -update
//
// then run this package (go test ./test/conversation) to check that the
// rewritten conversations hold over the modem too. A difference here and
// not in agent/shop is something between the handler and the air: the
// PDU encoder, segmentation, the modem driver or the store.
//
// This package holds tests only.
package conversation
