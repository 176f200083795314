// Package store is the agent's bbolt file: the inbox of raw PDUs and missed
// calls, the persisted reassembly of long messages, the outbox with its
// priorities, retries and daily cap, and the log of what was sent.
//
// It keeps the promises of the message path. Intake commits a PDU (or keeps
// it, undecodable, with its raw bytes) before the modem may delete it, and a
// dedupe key makes a re-read harmless. Handle marks an inbound handled in
// the same transaction as everything the shop does about it, replies
// included, so a crash leaves either nothing or everything. The sender
// records each part as soon as the modem answers +CMGS, so the only window
// for a duplicate SMS is between that answer and the commit.
//
// Writers that overlap share one transaction and its fsyncs (a group
// commit, see commit.go), which is what lets a Pi's SD card keep up with a
// burst. The price is that a function given to Handle or Update may run
// again if another in its group fails, so all its effects must go through
// the transaction.
//
// The file's layout is declared in one place per owner: each package that
// keeps buckets in the file names them with Declare, Open makes them all
// in the transaction that brings the schema version up to date (the
// migrations in schema.go), and a file from a newer agent is refused
// rather than guessed at.
//
// The store is meant to have one writer of the outbox at a time (the
// sender): NextOutbound does not lease a message.
package store
