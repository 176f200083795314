// Package agent is the shop agent's core loop: it takes what the modem hands
// over, commits it, acts on each inbound message in exactly one transaction,
// and drains the outbox back through the modem.
//
// The loop never talks to the modem inside a transaction, and never marks
// anything sent before the modem has answered for it: that is what keeps the
// promises of the message path (no message lost, none acted on twice,
// outbound duplicates only between +CMGS and the commit that records it).
package agent
