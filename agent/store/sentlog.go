package store

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/modem/pdu"
	"github.com/tokrihq/tokri/phone"
)

// Delivery is what the network's status reports say about a sent message.
type Delivery int

// Delivery states, from the TP-ST of every part's report (TS 23.040
// 9.2.3.15).
const (
	DeliveryUnknown   Delivery = iota // no report yet for some part, none bad
	DeliveryPending                   // the SMSC is still trying (temporary error)
	DeliveryDelivered                 // every part reached the phone
	DeliveryFailed                    // some part will not be delivered
)

var deliveryNames = [...]string{DeliveryUnknown: "unknown", DeliveryPending: "pending", DeliveryDelivered: "delivered", DeliveryFailed: "failed"}

func (d Delivery) String() string { return name(deliveryNames[:], d, "delivery") }

// statusNotAsked is the PartStatus of a part sent without TP-SRR because
// its message asks for one report, on its last part.
const statusNotAsked = -2

// delivery folds the per-part TP-ST values (-1: no report yet; parts that
// asked for none do not count).
func delivery(st []int) Delivery {
	if len(st) == 0 {
		return DeliveryUnknown
	}
	d := DeliveryDelivered
	for _, s := range st {
		switch {
		case s == statusNotAsked:
		case s >= 0x40:
			return DeliveryFailed
		case s >= 0x20:
			d = DeliveryPending
		case s < 0 && d == DeliveryDelivered:
			d = DeliveryUnknown
		}
	}
	return d
}

// SentRecord is a message that left the outbox: sent, or given up.
type SentRecord struct {
	ID           uint64
	To, Text     string
	Priority     Priority
	Segments     int // parts the message was sent in (planned ones if it failed)
	PartsSent    int
	Encoding     string
	MRs          []int
	PartStatus   []int // TP-ST of each part's latest report, -1 if none yet, -2 for a part that asked for none
	Delivery     Delivery
	StatusReport bool
	CreatedAt    time.Time
	SentAt       time.Time // or when it was given up
	Attempts     int
	Failed       bool // MarkFailed: not (completely) sent
	LastError    string
	InReplyTo    uint64
	ReportedAt   time.Time // latest status report
}

func (r outRec) sentRecord(id uint64) SentRecord {
	return SentRecord{
		ID: id, To: r.To, Text: r.Text, Priority: r.Priority, Segments: r.Segments, PartsSent: r.PartsSent, Encoding: r.Encoding,
		MRs: r.MRs, PartStatus: r.PartStatus, Delivery: delivery(r.PartStatus), StatusReport: r.StatusReport,
		CreatedAt: r.CreatedAt, SentAt: r.SentAt, Attempts: r.Attempts, Failed: r.Failed,
		LastError: r.LastError, InReplyTo: r.InReplyTo, ReportedAt: r.ReportedAt,
	}
}

// mrKey indexes a sent part by recipient and message reference, so a
// status report finds it.
func mrKey(to string, mr int, id uint64) []byte {
	return concat(mrPrefix(to, mr), u64(id))
}

func mrPrefix(to string, mr int) []byte {
	return concat([]byte(numberSuffix(to)), []byte{0, byte(mr)})
}

// MarkFailed gives a message up; it stays in the sent log as failed.
func (db *DB) MarkFailed(id uint64, cause string) error {
	defer db.release(id)
	err := db.update(func(tx *bbolt.Tx) error {
		r, err := loadOut(tx, id)
		if err != nil {
			return err
		}
		return finishTx(tx, id, &r, db.now(), true, cause)
	})
	if err != nil {
		return fmt.Errorf("mark outbound %d failed: %w", id, err)
	}
	return nil
}

// finishTx moves r from the outbox to the sent log inside tx.
func finishTx(tx *bbolt.Tx, id uint64, r *outRec, at time.Time, failed bool, cause string) error {
	r.Attempts++
	r.SentAt = at.UTC()
	r.Failed = failed
	if failed {
		r.LastError = cause
	} else if r.PartsSent > 0 {
		r.Segments = r.PartsSent
	}
	if err := put(logBucket(tx, bucketSent), u64(id), *r); err != nil {
		return err
	}
	if err := unqueueTx(tx, id, r); err != nil {
		return err
	}
	counter := counterSent
	if failed {
		counter = counterFailed
	}
	return addUint(tx.Bucket(bucketCounters), counter, 1)
}

// keepReport records a status report and applies it to the most recent
// message sent to its recipient with its MR, in the sent log or still in
// the outbox (a long message whose first parts are reported before the
// last is sent).
func (db *DB) keepReport(tx *bbolt.Tx, key, raw []byte, m pdu.Message, at time.Time) (IntakeResult, error) {
	reports := logBucket(tx, bucketReports)
	id, err := reports.NextSequence()
	if err != nil {
		return IntakeResult{}, fmt.Errorf("next report id: %w", err)
	}
	rec := reportRec{Raw: raw, To: m.Addr, MR: m.MR, Status: m.Status, SCTS: m.SCTS, DischargeAt: m.Discharge, ReceivedAt: at, Key: key}
	matched, err := db.applyReport(tx, rec)
	if err != nil {
		return IntakeResult{}, err
	}
	rec.MatchedID = matched
	if err := put(reports, u64(id), rec); err != nil {
		return IntakeResult{}, err
	}
	if matched == 0 && rec.MR >= 0 && rec.MR <= 255 {
		// On a fast network the report can overtake the commit of the
		// +CMGS answer; RecordParts looks here for it.
		if err := tx.Bucket(bucketEarly).Put(concat(mrPrefix(rec.To, rec.MR), u64(id)), nil); err != nil {
			return IntakeResult{}, fmt.Errorf("index early report: %w", err)
		}
	}
	if matched == 0 {
		db.log.Debug().Uint64("report", id).Int("mr", m.MR).Str("to", phone.Mask(m.Addr)).Msg("status report matches no sent message")
	}
	return IntakeResult{Outcome: OutcomeReport, ID: id, Matched: matched}, remember(tx, key, OutcomeReport, id, at)
}

func (db *DB) applyReport(tx *bbolt.Tx, rep reportRec) (uint64, error) {
	if rep.MR < 0 || rep.MR > 255 {
		return 0, nil
	}
	prefix := mrPrefix(rep.To, rep.MR)
	var ids []uint64
	c := tx.Bucket(bucketMRIndex).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) == len(prefix)+8 {
			ids = append(ids, fromU64(k[len(prefix):]))
		}
	}
	slices.Reverse(ids) // most recent first
	for _, id := range ids {
		for _, name := range [][]byte{bucketSent, bucketOutbox} {
			b := tx.Bucket(name)
			if bytes.Equal(name, bucketSent) {
				b.FillPercent = logFill
			}
			var r outRec
			found, err := get(b, u64(id), &r)
			if err != nil {
				return 0, err
			}
			if !found || !db.country.Same(r.To, rep.To) {
				continue
			}
			part := slices.Index(r.MRs, rep.MR)
			if part < 0 || part >= len(r.PartStatus) {
				continue
			}
			before := delivery(r.PartStatus)
			r.PartStatus[part] = rep.Status
			r.ReportedAt = rep.ReceivedAt
			after := delivery(r.PartStatus)
			if err := put(b, u64(id), r); err != nil {
				return 0, err
			}
			return id, db.countDelivery(tx, before, after)
		}
	}
	return 0, nil
}

// countDelivery keeps the lifetime delivered/undelivered counters in step
// with a message changing state.
func (db *DB) countDelivery(tx *bbolt.Tx, before, after Delivery) error {
	if before == after {
		return nil
	}
	counters := tx.Bucket(bucketCounters)
	for _, c := range []struct {
		d   Delivery
		key []byte
	}{{DeliveryDelivered, counterDelivered}, {DeliveryFailed, counterUndelivered}} {
		switch {
		case before == c.d:
			if err := addUint(counters, c.key, -1); err != nil {
				return err
			}
		case after == c.d:
			if err := addUint(counters, c.key, 1); err != nil {
				return err
			}
		}
	}
	return nil
}

// SentLog lists the sent log, most recently enqueued first; limit <= 0
// means all.
func (db *DB) SentLog(limit int) ([]SentRecord, error) {
	out, err := db.sentRecords(limit, func(*outRec) bool { return true })
	if err != nil {
		return nil, fmt.Errorf("read sent log: %w", err)
	}
	return out, nil
}

// sentRecords lists the latest limit records of the sent log that keep
// says to, most recently enqueued first; limit <= 0 means all.
func (db *DB) sentRecords(limit int, keep func(*outRec) bool) ([]SentRecord, error) {
	var out []SentRecord
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketSent).Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			var r outRec
			if err := decodeRec(k, v, &r); err != nil {
				return err
			}
			if keep(&r) {
				out = append(out, r.sentRecord(fromU64(k)))
			}
		}
		return nil
	})
	return out, err
}

// earlyWindow bounds how long before the send was recorded a report may
// have come and still belong to it: MRs repeat every 256 messages.
const earlyWindow = 10 * time.Minute

// applyEarly applies reports that arrived before part of r (sent at with
// mr) was recorded, and forgets them. It returns the delivery before and
// after, for the counters.
func (db *DB) applyEarly(tx *bbolt.Tx, id uint64, r *outRec, part, mr int, at time.Time) error {
	early := tx.Bucket(bucketEarly)
	prefix := mrPrefix(r.To, mr)
	var keys [][]byte
	c := early.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	reports := logBucket(tx, bucketReports)
	for _, k := range keys {
		if err := early.Delete(k); err != nil {
			return err
		}
		rid := k[len(prefix):]
		var rep reportRec
		found, err := get(reports, rid, &rep)
		if err != nil {
			return err
		}
		if !found || rep.MatchedID != 0 || !db.country.Same(rep.To, r.To) || at.Sub(rep.ReceivedAt) > earlyWindow || rep.ReceivedAt.Sub(at) > earlyWindow {
			continue
		}
		r.PartStatus[part-1] = rep.Status
		r.ReportedAt = rep.ReceivedAt
		rep.MatchedID = id
		if err := put(reports, rid, rep); err != nil {
			return err
		}
	}
	return nil
}
