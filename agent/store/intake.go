package store

import (
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/modem/pdu"
	"github.com/tokrihq/tokri/phone"
)

// Channels an inbound arrives on.
const (
	ChannelSMS  = "sms"
	ChannelCall = "call"
)

// Outcome says where Intake put a PDU.
type Outcome int

// Outcomes of Intake. Every call that is not a duplicate adds exactly one
// of these.
const (
	OutcomeInbound     Outcome = iota + 1 // a Ready inbound: a single SMS, a completed long one, a call
	OutcomePart                           // one part of a long message; its group is still incomplete
	OutcomeReport                         // a status report, applied to the sent entry it names if found
	OutcomeSubmit                         // a stored SMS-SUBMIT, kept and never answered
	OutcomeUndecodable                    // kept with its raw bytes and the error for the operator
)

var outcomeNames = [...]string{OutcomeInbound: "inbound", OutcomePart: "part", OutcomeReport: "report",
	OutcomeSubmit: "submit", OutcomeUndecodable: "undecodable"}

func (o Outcome) String() string { return name(outcomeNames[:], o, "outcome") }

// IntakeResult says what one Intake committed. Once Intake returns without
// error, the PDU is safe and the modem may delete its copy.
type IntakeResult struct {
	Outcome Outcome
	// ID is the record's id in its list: the inbound (for OutcomeInbound,
	// also when a part completed its group), the group, the report, the
	// stored submit or the undecodable entry.
	ID uint64
	// Duplicate means the same PDU was taken in before and nothing changed;
	// Outcome and ID then describe the first time.
	Duplicate bool
	// Matched is the outbound message a status report updated, 0 if none.
	Matched uint64
}

// Ready says whether this call made a new inbound ready to handle.
func (r IntakeResult) Ready() bool { return r.Outcome == OutcomeInbound && !r.Duplicate }

// Inbound is a message (or missed call) ready for the shop.
type Inbound struct {
	ID       uint64
	Channel  string // ChannelSMS or ChannelCall
	From     string
	Text     string
	Encoding string // "gsm7", "ucs2" or "8bit"; "" for calls
	Binary   []byte // user data of 8-bit messages
	Parts    int    // 1 for a single SMS, the part count for a long one, 0 for calls
	// SCTS is the service centre time stamp (of the first part), or the
	// time of the call.
	SCTS       time.Time
	ReceivedAt time.Time
	Handled    bool
	HandledAt  time.Time
	// Missing counts the parts of a long message that never came: it was
	// released after waiting (ReleaseGroup) and Text is what did come.
	Missing int
}

func (r inboundRec) public(id uint64) Inbound {
	return Inbound{
		ID: id, Channel: r.Channel, From: r.From, Text: r.Text, Encoding: r.Encoding,
		Binary: r.Binary, Parts: r.Parts, SCTS: r.SCTS, ReceivedAt: r.ReceivedAt,
		Handled: r.Handled, HandledAt: r.HandledAt, Missing: r.Missing,
	}
}

// Intake commits one raw PDU in one transaction: the SMSC field and TPDU
// either as the hex the modem printed or as bytes (pdu.ParseHex's output),
// or whatever the modem printed instead. See IntakeResult for what it can become. It
// returns an error only if nothing was committed; the modem must then keep
// its copy.
func (db *DB) Intake(raw []byte, receivedAt time.Time) (IntakeResult, error) {
	p := parseRaw(raw, receivedAt)
	var res IntakeResult
	err := db.update(func(tx *bbolt.Tx) error {
		var err error
		res, err = db.intakeTx(tx, p)
		return err
	})
	if err != nil {
		return IntakeResult{}, fmt.Errorf("intake pdu: %w", err)
	}
	db.logIntake(res, p.msg, p.derr)
	return res, nil
}

// rawPDU is a PDU as the modem printed it, decoded (or not: derr) and
// keyed for dedupe, ready for intakeTx.
type rawPDU struct {
	raw, key   []byte
	msg        pdu.Message
	derr       error
	receivedAt time.Time
}

func parseRaw(raw []byte, receivedAt time.Time) rawPDU {
	p := rawPDU{raw: copyBytes(raw), receivedAt: receivedAt.UTC()}
	if p.raw == nil {
		p.raw = []byte{}
	}
	bin, derr := pduBytes(p.raw)
	if derr == nil {
		p.msg, derr = decode(bin)
	}
	p.derr = derr
	if derr != nil {
		p.key = undecodableKey(p.raw)
	} else {
		p.key = messageKey(p.msg, bin)
	}
	return p
}

// IntakeCall commits a missed call as an inbound on ChannelCall, deduped by
// caller and time (to the second).
func (db *DB) IntakeCall(from string, at time.Time) (IntakeResult, error) {
	if from == "" {
		return IntakeResult{}, fmt.Errorf("intake call: empty caller: %w", ErrInvalid)
	}
	at = at.UTC()
	key := callKey(from, at)
	var res IntakeResult
	err := db.update(func(tx *bbolt.Tx) error {
		var dup bool
		if res, dup = seen(tx, key); dup {
			return nil
		}
		id, err := db.addInbound(tx, inboundRec{Channel: ChannelCall, From: from, SCTS: at, ReceivedAt: at}, [][]byte{key})
		res = IntakeResult{Outcome: OutcomeInbound, ID: id}
		return err
	})
	if err != nil {
		return IntakeResult{}, fmt.Errorf("intake call: %w", err)
	}
	db.log.Debug().Str("from", phone.Mask(from)).Uint64("id", res.ID).Bool("duplicate", res.Duplicate).Msg("missed call")
	return res, nil
}

// addInbound stores a Ready inbound and points keys at it.
func (db *DB) addInbound(tx *bbolt.Tx, rec inboundRec, keys [][]byte) (uint64, error) {
	inbox := logBucket(tx, bucketInbox)
	id, err := inbox.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("next inbound id: %w", err)
	}
	if err := put(inbox, u64(id), rec); err != nil {
		return 0, err
	}
	if err := tx.Bucket(bucketPending).Put(u64(id), nil); err != nil {
		return 0, fmt.Errorf("mark inbound %d pending: %w", id, err)
	}
	for _, k := range keys {
		if err := remember(tx, k, OutcomeInbound, id, rec.ReceivedAt); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func (db *DB) keepUndecodable(tx *bbolt.Tx, key, raw []byte, derr error, at time.Time) (IntakeResult, error) {
	b := logBucket(tx, bucketUndecodable)
	id, err := b.NextSequence()
	if err != nil {
		return IntakeResult{}, fmt.Errorf("next undecodable id: %w", err)
	}
	if err := put(b, u64(id), undecodableRec{Raw: raw, Err: derr.Error(), ReceivedAt: at, Key: key}); err != nil {
		return IntakeResult{}, err
	}
	return IntakeResult{Outcome: OutcomeUndecodable, ID: id}, remember(tx, key, OutcomeUndecodable, id, at)
}

func (db *DB) keepSubmit(tx *bbolt.Tx, key, raw []byte, m pdu.Message, at time.Time) (IntakeResult, error) {
	b := logBucket(tx, bucketSubmits)
	id, err := b.NextSequence()
	if err != nil {
		return IntakeResult{}, fmt.Errorf("next stored submit id: %w", err)
	}
	if err := put(b, u64(id), submitRec{Raw: raw, To: m.Addr, Text: m.Text, Encoding: m.Encoding, ReceivedAt: at, Key: key}); err != nil {
		return IntakeResult{}, err
	}
	return IntakeResult{Outcome: OutcomeSubmit, ID: id}, remember(tx, key, OutcomeSubmit, id, at)
}

// decode is pdu.Decode that turns a panic into an error, so no input can
// take the agent down or be lost.
func decode(raw []byte) (m pdu.Message, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = pdu.Message{}, fmt.Errorf("pdu decoder panicked: %v", r)
		}
	}()
	return pdu.Decode(raw)
}

// join is pdu.Join, over raw parts as stored, with the same protection.
func join(raws [][]byte) (m pdu.Message, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = pdu.Message{}, fmt.Errorf("pdu join panicked: %v", r)
		}
	}()
	parts := make([][]byte, 0, len(raws))
	for _, raw := range raws {
		bin, err := pduBytes(raw)
		if err != nil {
			return pdu.Message{}, err
		}
		parts = append(parts, bin)
	}
	return pdu.Join(parts)
}

func (db *DB) logIntake(res IntakeResult, m pdu.Message, derr error) {
	switch {
	case res.Outcome == OutcomeUndecodable && !res.Duplicate:
		// The error names field and offset; the raw bytes stay in the store.
		db.log.Warn().Uint64("id", res.ID).Str("error", derr.Error()).Msg("undecodable pdu kept for the operator")
	case res.Outcome == OutcomeSubmit && !res.Duplicate:
		db.log.Info().Uint64("id", res.ID).Msg("stored sms-submit kept, not answered")
	default:
		db.log.Debug().Stringer("outcome", res.Outcome).Uint64("id", res.ID).Bool("duplicate", res.Duplicate).
			Str("from", phone.Mask(m.Addr)).Msg("pdu taken in")
	}
}

// intakeTx is Intake's work inside tx, for a PDU already decoded (or
// failed to decode with derr) and keyed.
func (db *DB) intakeTx(tx *bbolt.Tx, p rawPDU) (res IntakeResult, err error) {
	raw, key, msg, derr, receivedAt := p.raw, p.key, p.msg, p.derr, p.receivedAt
	var dup bool
	if res, dup = seen(tx, key); dup {
		return res, nil
	}
	switch {
	case derr != nil:
		res, err = db.keepUndecodable(tx, key, raw, derr, receivedAt)
	case msg.Kind == pdu.Submit:
		res, err = db.keepSubmit(tx, key, raw, msg, receivedAt)
	case msg.Kind == pdu.StatusReport:
		res, err = db.keepReport(tx, key, raw, msg, receivedAt)
	case isPart(msg):
		res, err = db.addPart(tx, key, raw, msg, receivedAt)
	default:
		var id uint64
		id, err = db.addInbound(tx, inboundRec{
			Channel: ChannelSMS, From: msg.Addr, Text: msg.Text, Encoding: msg.Encoding,
			Binary: msg.Binary, Parts: 1, SCTS: msg.SCTS, ReceivedAt: receivedAt,
		}, [][]byte{key})
		res = IntakeResult{Outcome: OutcomeInbound, ID: id}
	}
	return res, err
}
