// Package pdu turns the PDUs that real modems print into messages, and
// messages into SMS-SUBMIT PDUs to send.
//
// Real PDUs are messier than the standard: user-data lengths that disagree
// with the bytes, SIM records padded with FF, invalid timezone octets, odd
// numbers without their F filler. Decode normalises the TPDU first and only
// then hands it to github.com/warthog618/sms, so the codec itself stays
// unforked. Anything still undecodable comes back as a *DecodeError naming
// the field and offset, and the caller keeps the raw bytes.
//
// The parts of a long message decode one by one (each with its Concat) and
// Join reassembles their text, including what the library gets wrong: an
// escape split across two parts. EncodeSubmit and Count share one splitter,
// so the number of parts a reply costs is known before it is sent.
// DecodeUSSD and EncodeUSSD deal with the shapes +CUSD takes on real modems.
package pdu
