package store

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/modem/pdu"
)

// The dedupe bucket maps a key that identifies one PDU (or one call) to
// where it went: outcome (1 byte), record id (8), time received (8). An
// entry lives as long as its record and at least as long as Prune's keep.

const dedupeValueLen = 17

func dedupeValue(o Outcome, id uint64, at time.Time) []byte {
	return concat([]byte{byte(o)}, u64(id), timeKey(at))
}

func parseDedupe(v []byte) (o Outcome, id uint64, at time.Time, ok bool) {
	if len(v) != dedupeValueLen {
		return 0, 0, time.Time{}, false
	}
	return Outcome(v[0]), fromU64(v[1:9]), fromTimeKey(v[9:17]), true
}

// messageKey is originator (or recipient) + SCTS + concatenation ref, total
// and part + a short hash of the TPDU, so a re-read of the same PDU maps to
// the same key, even through another SMSC, while two different messages in
// one second from one sender do not.
func messageKey(m pdu.Message, bin []byte) []byte {
	kind := byte('D')
	switch m.Kind {
	case pdu.Submit:
		kind = 'S'
	case pdu.StatusReport:
		kind = 'R'
	}
	var scts [8]byte
	if !m.SCTS.IsZero() {
		binary.BigEndian.PutUint64(scts[:], uint64(m.SCTS.Unix()))
	}
	var cc [5]byte
	if c := m.Concat; c != nil {
		cc[0] = byte(c.RefBits)
		binary.BigEndian.PutUint16(cc[1:3], uint16(c.Ref))
		cc[3] = byte(c.Total)
		cc[4] = byte(c.Seq)
	}
	sum := sha256.Sum256(tpduBytes(bin))
	return concat([]byte{kind}, []byte(m.Addr), []byte{0}, scts[:], cc[:], sum[:8])
}

// undecodableKey hashes all of what the modem printed: nothing else about
// the PDU can be trusted.
func undecodableKey(raw []byte) []byte {
	sum := sha256.Sum256(trimPrinted(raw))
	return concat([]byte{'U'}, sum[:16])
}

func callKey(from string, at time.Time) []byte {
	return concat([]byte{'C'}, []byte(from), []byte{0}, u64(uint64(at.Unix())))
}

// pduBytes turns what the modem printed into the SMSC field + TPDU bytes
// pdu.Decode takes: hex text is parsed (an odd digit count is an error),
// anything else is taken to be those bytes already. A binary PDU never
// consists of hex digits only: its first octet, the SMSC length, is below
// 0x30.
func pduBytes(raw []byte) ([]byte, error) {
	if isHex(trimPrinted(raw)) {
		return pdu.ParseHex(string(raw))
	}
	return raw, nil
}

// tpduBytes drops the SMSC field, which may differ between two readings of
// one message (parts arrive through different centres).
func tpduBytes(bin []byte) []byte {
	if len(bin) > 0 && int(bin[0])+1 < len(bin) {
		return bin[int(bin[0])+1:]
	}
	return bin
}

// trimPrinted drops what modems put around a PDU line: spaces, CR/LF, a
// stray quote.
func trimPrinted(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' }

func isHex(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return true
}

// seen looks key up; ok is false when it is new.
func seen(tx *bbolt.Tx, key []byte) (IntakeResult, bool) {
	o, id, _, ok := parseDedupe(tx.Bucket(bucketDedupe).Get(key))
	if !ok {
		return IntakeResult{}, false
	}
	return IntakeResult{Outcome: o, ID: id, Duplicate: true}, true
}

func remember(tx *bbolt.Tx, key []byte, o Outcome, id uint64, at time.Time) error {
	if err := tx.Bucket(bucketDedupe).Put(key, dedupeValue(o, id, at)); err != nil {
		return fmt.Errorf("write dedupe key: %w", err)
	}
	return nil
}
