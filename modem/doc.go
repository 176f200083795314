// Package modem drives a GSM modem for the shop agent over any
// io.ReadWriter: it brings the modem up from whatever state it is in
// (Init), receives SMS store-then-delete so that nothing is deleted before
// the agent has committed it (Receiver), sends PDUs (SendPDU), turns
// rings into missed calls, runs USSD codes, and watches signal and
// registration, re-initialising, resetting and finally power-cycling a
// modem that stops answering.
//
// The AT protocol itself lives in modem/at; PDUs are decoded by the agent
// with modem/pdu, so this package hands raw PDU bytes up and decodes only
// USSD strings.
package modem
