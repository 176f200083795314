// Package modem drives a GSM modem for the shop agent over any
// io.ReadWriter: it brings the modem up from whatever state it is in
// (Init), receives SMS store-then-delete so that nothing is deleted before
// the agent has committed it (Receiver), sends PDUs (SendPDU), turns
// rings into missed calls, runs USSD codes, and watches signal and
// registration, re-initialising, resetting and finally power-cycling a
// modem that stops answering.
//
// A modem that reboots by itself (a brown-out: RDY, +CFUN: 1, +CPIN,
// Call Ready, SMS Ready, or an answer in the wrong mode such as a
// text-mode +CMGR) has forgotten its settings. At the first sign the
// command in flight is abandoned (at.ErrRebooted), nothing more is typed
// at the modem, queued indications are dropped, and it is initialised
// again before storage is scanned; a send it cut short is made again once
// it is back. A reply that is not a PDU is never handed up nor deleted.
//
// The AT protocol itself lives in modem/at; PDUs are decoded by the agent
// with modem/pdu, so this package hands raw PDU bytes up and decodes only
// USSD strings.
package modem
