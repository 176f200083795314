package store

import (
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/modem/pdu"
)

// Priority orders the outbox: answers to the operator and order
// notifications go before replies to chat, and those before Bulk; within
// one priority, first in first out (see rank). The values are stored:
// append, never renumber.
type Priority int

// Priorities.
const (
	Reply        Priority = iota // answers to a shopper's message
	Notification                 // order updates the shopper is waiting for
	Bulk                         // announcements; first to wait under the cap
	Operator                     // answers to the shop's operator
)

var priorityNames = [...]string{Reply: "reply", Notification: "notification", Bulk: "bulk", Operator: "operator"}

func (p Priority) String() string { return name(priorityNames[:], p, "priority") }

// Outbound is a message waiting in the outbox.
type Outbound struct {
	ID       uint64
	To, Text string
	Priority Priority
	// Ref is the concatenation reference for a long message, 0..255,
	// assigned at enqueue from a persisted counter; the same on every
	// retry, so resumed parts join the ones already sent.
	Ref          int
	StatusReport bool // ask the network for delivery reports
	CreatedAt    time.Time
	// Attempts counts attempts that ended: MarkRetry, RecordParts of a last part, MarkFailed.
	Attempts    int
	NextAttempt time.Time // not sent before this; zero means at once
	// PartsSent counts parts the modem accepted (RecordParts); a resumed
	// send starts at part PartsSent+1.
	PartsSent int
	MRs       []int // TP-MR of each sent part, in order
	LastError string
	InReplyTo uint64 // the inbound this answers, 0 if none
	// Segments and Encoding are pdu.Count of Text at enqueue (Segments
	// grows if the sender reports more parts).
	Segments int
	Encoding string
}

func (r outRec) outbound(id uint64) Outbound {
	return Outbound{
		ID: id, To: r.To, Text: r.Text, Priority: r.Priority, Ref: r.Ref, StatusReport: r.StatusReport,
		CreatedAt: r.CreatedAt, Attempts: r.Attempts, NextAttempt: r.NextAttempt, PartsSent: r.PartsSent,
		MRs: r.MRs, LastError: r.LastError, InReplyTo: r.InReplyTo, Segments: r.Segments, Encoding: r.Encoding,
	}
}

func queueKey(p Priority, id uint64) []byte { return concat([]byte{rank(p)}, u64(id)) }

// Enqueue adds a message to the outbox in this transaction; the sender is
// signalled once it commits. Inside Handle, InReplyTo defaults to the
// inbound being handled. ID, Ref, Segments and Encoding are assigned here;
// CreatedAt defaults to now.
func (tx *Tx) Enqueue(out Outbound) (uint64, error) {
	if !tx.tx.Writable() {
		return 0, fmt.Errorf("enqueue: %w", ErrReadOnly)
	}
	if out.To == "" {
		return 0, fmt.Errorf("enqueue: no recipient: %w", ErrInvalid)
	}
	if out.Priority < Reply || out.Priority > Operator {
		return 0, fmt.Errorf("enqueue: %v: %w", out.Priority, ErrInvalid)
	}
	seg, enc := pdu.Count(out.Text)
	if seg < 1 {
		seg = 1
	}
	outbox, meta := tx.tx.Bucket(bucketOutbox), tx.tx.Bucket(bucketMeta)
	id, err := outbox.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("enqueue: next id: %w", err)
	}
	ref := getUint(meta, metaRef) + 1
	if err := putUint(meta, metaRef, ref); err != nil {
		return 0, fmt.Errorf("enqueue: concat ref: %w", err)
	}
	rec := outRec{
		To: out.To, Text: out.Text, Priority: out.Priority, Ref: int(ref % 256), StatusReport: out.StatusReport || tx.db.srr,
		Segments: seg, Encoding: enc, CreatedAt: out.CreatedAt.UTC(), NextAttempt: out.NextAttempt.UTC(), InReplyTo: out.InReplyTo,
	}
	if out.CreatedAt.IsZero() {
		rec.CreatedAt = tx.db.now().UTC()
	}
	if rec.InReplyTo == 0 {
		rec.InReplyTo = tx.inbound
	}
	if rec.Priority == Reply {
		if err := tx.db.boundReplies(tx.tx, rec.To, tx.db.now()); err != nil {
			return 0, fmt.Errorf("enqueue: bound replies: %w", err)
		}
		if err := tx.tx.Bucket(bucketQueuedTo).Put(queuedKey(rec.To, id), nil); err != nil {
			return 0, fmt.Errorf("enqueue: number index: %w", err)
		}
	}
	if err := put(outbox, u64(id), rec); err != nil {
		return 0, fmt.Errorf("enqueue: %w", err)
	}
	if err := tx.tx.Bucket(bucketQueue).Put(queueKey(rec.Priority, id), timeKey(rec.NextAttempt)); err != nil {
		return 0, fmt.Errorf("enqueue: queue: %w", err)
	}
	tx.enqueued++
	if tx.inbound != 0 && rec.InReplyTo == tx.inbound {
		tx.replies = append(tx.replies, id)
	}
	return id, nil
}

// PrefixReplies puts note(text) before the text of every message enqueued
// so far in this transaction in reply to the inbound being handled, and
// counts their segments again: how the agent says that part of a long
// message was lost, whatever (and in whatever language) the handler
// answered.
func (tx *Tx) PrefixReplies(note func(text string) string) error {
	if !tx.tx.Writable() {
		return fmt.Errorf("prefix replies: %w", ErrReadOnly)
	}
	outbox := tx.tx.Bucket(bucketOutbox)
	for _, id := range tx.replies {
		var r outRec
		found, err := get(outbox, u64(id), &r)
		if err != nil || !found {
			return fmt.Errorf("prefix reply %d: found=%v: %w", id, found, err)
		}
		r.Text = note(r.Text) + r.Text
		r.Segments, r.Encoding = pdu.Count(r.Text)
		if err := put(outbox, u64(id), r); err != nil {
			return fmt.Errorf("prefix reply %d: %w", id, err)
		}
	}
	return nil
}

// NextOutbound returns the first due message by rank, then age, that the
// cap and the Policy let go now. With dailyCap > 0 (segments in the SIM
// day of Options.Location):
//   - if its remaining segments would take today's count past dailyCap it
//     returns ok=false, capped=true, and nothing goes out until the day
//     turns;
//   - replies to chat and bulk use only the chat budget (the cap less the
//     Policy's Reserve), so order news and the operator are still sent
//     after a flood; a reply to a number that has had its Share today
//     waits (and goes stale) while others go; replies to numbers never
//     answered before today use at most NewShare of the chat budget, so
//     the shop's known shoppers are answered through a flood of new
//     numbers.
//
// A message with more segments than the whole cap is passed over (it stays
// queued, for the operator) rather than block the outbox. Replies older
// than Policy.ReplyMaxAge are dropped with a record first. A message with
// PartsSent == Segments only needs its last part recorded again. Age is
// measured on the store's clock (Options.Now), not now.
//
// There must be one sender. The message returned is held for it: the
// outbox's bounds and the age limit pass it over (it is as good as sent)
// until it is marked sent, failed or for retry, or NextOutbound is called
// again, so what the modem is sending is never dropped from under it.
func (db *DB) NextOutbound(now time.Time, dailyCap int) (Next, error) {
	var (
		out        Outbound
		ok, capped bool
		err        error
	)
	db.hold(0)
	for try := range 4 {
		var stale bool
		out, ok, capped, stale, err = db.nextOutbound(now, dailyCap)
		if err == nil && stale && try == 0 {
			if _, err = db.dropStale(db.now()); err == nil {
				continue
			}
		}
		if err != nil || !ok {
			break
		}
		var held bool
		if held, err = db.holdQueued(out.ID); err != nil || held {
			break
		}
		ok = false // dropped between the look and the hold: look again
	}
	if err != nil {
		return Next{}, fmt.Errorf("next outbound: %w", err)
	}
	db.mu.Lock()
	if capped {
		db.cappedDay = string(db.dayKey(now))
	} else {
		db.cappedDay = ""
	}
	db.mu.Unlock()
	if !ok {
		return Next{Capped: capped}, nil
	}
	return Next{Out: out, OK: true}, nil
}

// Next is what NextOutbound found.
type Next struct {
	Out    Outbound // the message to send, if OK
	OK     bool     // a message is due now
	Capped bool     // nothing was due because the daily cap held a message back
}

// hold records id as the message being sent (0: none).
func (db *DB) hold(id uint64) {
	db.mu.Lock()
	db.sending = id
	db.mu.Unlock()
}

// release ends the hold on id after its attempt was recorded.
func (db *DB) release(id uint64) {
	db.mu.Lock()
	if db.sending == id {
		db.sending = 0
	}
	db.mu.Unlock()
}

// held says whether id is the message being sent.
func (db *DB) held(id uint64) bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	return id != 0 && db.sending == id
}

// holdQueued holds id and says whether it is still queued. A writer that
// chose to drop it before the hold may not have committed yet, so the look
// takes the write lock (waiting for that commit) and rolls back: no fsync.
// Every write after the hold sees it.
func (db *DB) holdQueued(id uint64) (bool, error) {
	db.hold(id)
	tx, err := db.bolt.Begin(true)
	if err != nil {
		db.hold(0)
		return false, fmt.Errorf("hold outbound %d: %w", id, err)
	}
	queued := tx.Bucket(bucketOutbox).Get(u64(id)) != nil
	if err := tx.Rollback(); err != nil {
		db.hold(0)
		return false, fmt.Errorf("hold outbound %d: %w", id, err)
	}
	if !queued {
		db.hold(0)
	}
	return queued, nil
}

func (db *DB) nextOutbound(now time.Time, dailyCap int) (out Outbound, ok, capped, stale bool, err error) {
	pol := db.policy
	// Age is measured on the store's clock: callers pass a later now to
	// look ahead for retries, which must not make replies stale.
	cutoff := db.now().Add(-pol.ReplyMaxAge)
	var (
		held                  []string
		chatCapped, newCapped bool
	)
	err = db.bolt.View(func(tx *bbolt.Tx) error {
		outbox, days := tx.Bucket(bucketOutbox), tx.Bucket(bucketDays)
		today := int(getUint(days, db.dayKey(now)))
		c := tx.Bucket(bucketQueue).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if fromTimeKey(v).After(now) {
				continue
			}
			id := fromU64(k[1:])
			var r outRec
			found, err := get(outbox, u64(id), &r)
			if err != nil {
				return err
			}
			if !found {
				return fmt.Errorf("queued outbound %d has no record", id)
			}
			if r.Priority == Reply && r.CreatedAt.Before(cutoff) {
				stale = true
				continue
			}
			if dailyCap > 0 {
				remaining := max(r.Segments-r.PartsSent, 0)
				if remaining > dailyCap {
					continue // could never go; must not hold up the rest
				}
				if today+remaining > dailyCap {
					capped = true
					return nil
				}
				if r.Priority == Reply || r.Priority == Bulk {
					if today+remaining > pol.chatBudget(dailyCap) {
						chatCapped = true
						continue
					}
				}
				if r.Priority == Reply {
					got := int(getUint(days, db.dayToKey(now, r.To)))
					if got > 0 && got+remaining > pol.share(dailyCap) {
						held = append(held, digits(r.To))
						continue
					}
					if fresh := int(getUint(days, concat(db.dayKey(now), daySuffixNew))); fresh > 0 && fresh+remaining > pol.newBudget(dailyCap) && !db.known(tx, r.To, now) {
						newCapped = true
						continue
					}
				}
			}
			out, ok = r.outbound(id), true
			return nil
		}
		return nil
	})
	if err != nil {
		return Outbound{}, false, false, false, err
	}
	db.notePressure(now, held, chatCapped, newCapped)
	if !ok && (chatCapped || newCapped) {
		capped = true
	}
	return out, ok, capped, stale, nil
}

// Outbound reads one message still in the outbox.
func (db *DB) Outbound(id uint64) (Outbound, error) {
	return one(db, bucketOutbox, id, "outbound", func(r *outRec) Outbound { return r.outbound(id) })
}

// loadOut reads queued outbound id inside tx; a missing one is a clean
// ErrNotFound.
func loadOut(tx *bbolt.Tx, id uint64) (outRec, error) {
	var r outRec
	found, err := get(tx.Bucket(bucketOutbox), u64(id), &r)
	if err == nil && !found {
		err = clean(ErrNotFound)
	}
	return r, err
}

// updateOut loads outbound id, lets fn change it and writes it back. fn
// returns clean errors for refusals found before it writes.
func (db *DB) updateOut(id uint64, fn func(tx *bbolt.Tx, r *outRec) error) error {
	return db.update(func(tx *bbolt.Tx) error {
		r, err := loadOut(tx, id)
		if err != nil {
			return err
		}
		if err := fn(tx, &r); err != nil {
			return err
		}
		return put(tx.Bucket(bucketOutbox), u64(id), r)
	})
}

// SentPart is one part of an outbound message the modem accepted.
type SentPart struct {
	Part int // 1-based
	// Last says it is the message's last part: the message moves to the
	// sent log in the same commit.
	Last bool
	MR   int       // TP-MR from +CMGS; -1 for a bare OK, which no report can match
	At   time.Time // the segment counts against this day
}

// RecordParts records, in one commit, that the modem accepted parts of
// outbound id, in order. Recording a part and MR again changes nothing,
// so a message whose parts all went before a crash is finished by
// recording its last part again.
//
// The sender records every part of a message in one commit after its
// last +CMGS answer, not part by part: each commit is two fdatasyncs on
// an SD card, and with one status report per message (TP-SRR on the last
// part, see pdu.SubmitOptions) an inbound SMS costs three commits
// (intake with handling, send, report) whatever its reply's length. What
// a crash costs in exchange:
//   - between two parts: the next start sends the message from its first
//     part again, with the same concatenation reference and part numbers,
//     so the parts the handset already holds are replaced in its
//     unfinished reassembly. The shopper sees the message once; the SIM
//     pays for up to Segments-1 parts again.
//   - between the last +CMGS answer and this commit (promise 4's window,
//     still one instant): the whole message goes again and the shopper
//     sees it twice, where part-by-part records would resend only its
//     last part, an orphan the handset cannot show whole.
//
// A stop, a send error or a modem reboot between parts loses nothing:
// the sender records the parts that went before it gives up the attempt.
func (db *DB) RecordParts(id uint64, parts ...SentPart) error {
	if len(parts) == 0 {
		return nil
	}
	for _, p := range parts {
		if p.MR < -1 || p.MR > 255 || p.Part < 1 {
			return fmt.Errorf("record part %d of outbound %d (mr %d): %w", p.Part, id, p.MR, ErrInvalid)
		}
	}
	last := parts[len(parts)-1]
	if last.Last {
		defer db.release(id)
	}
	err := db.update(func(tx *bbolt.Tx) error {
		r, err := loadOut(tx, id)
		if err != nil {
			return err
		}
		for _, p := range parts {
			if err := db.markPart(tx, id, &r, p.Part, p.MR, p.At); err != nil {
				return err
			}
		}
		if last.Last {
			return finishTx(tx, id, &r, last.At, false, "")
		}
		return put(tx.Bucket(bucketOutbox), u64(id), r)
	})
	if err != nil {
		return fmt.Errorf("record parts %d..%d of outbound %d: %w", parts[0].Part, last.Part, id, err)
	}
	return nil
}

// markPart records part as accepted with mr on r, inside tx.
func (db *DB) markPart(tx *bbolt.Tx, id uint64, r *outRec, part, mr int, at time.Time) error {
	if part <= r.PartsSent {
		if r.MRs[part-1] == mr {
			return nil
		}
		return clean(fmt.Errorf("part %d already sent with mr %d: %w", part, r.MRs[part-1], ErrPartOrder))
	}
	if part != r.PartsSent+1 {
		return clean(fmt.Errorf("part %d after %d: %w", part, r.PartsSent, ErrPartOrder))
	}
	r.PartsSent = part
	r.MRs = append(r.MRs, mr)
	status := -1
	if r.StatusReport && part < r.Segments {
		status = statusNotAsked // only the last part asks (pdu.SubmitOptions)
	}
	r.PartStatus = append(r.PartStatus, status)
	r.Segments = max(r.Segments, part)
	if mr >= 0 && status == -1 {
		// A bare OK to +CMGS (mr -1) is sent, but no report can ever be
		// matched to the part.
		if err := tx.Bucket(bucketMRIndex).Put(mrKey(r.To, mr, id), nil); err != nil {
			return fmt.Errorf("index mr: %w", err)
		}
		before := delivery(r.PartStatus)
		if err := db.applyEarly(tx, id, r, part, mr, at); err != nil {
			return fmt.Errorf("early reports: %w", err)
		}
		if err := db.countDelivery(tx, before, delivery(r.PartStatus)); err != nil {
			return err
		}
	}
	if err := addUint(tx.Bucket(bucketDays), db.dayKey(at), 1); err != nil {
		return fmt.Errorf("count segment: %w", err)
	}
	if r.Priority == Reply {
		if err := db.countReplyTx(tx, r.To, at); err != nil {
			return fmt.Errorf("count segment to number: %w", err)
		}
	}
	return nil
}

// MarkRetry ends a failed attempt: the message waits until next. The
// parts already sent stay sent.
func (db *DB) MarkRetry(id uint64, cause string, next time.Time) error {
	next = next.UTC()
	defer db.release(id)
	err := db.updateOut(id, func(tx *bbolt.Tx, r *outRec) error {
		r.Attempts++
		r.LastError = cause
		r.NextAttempt = next
		if err := tx.Bucket(bucketQueue).Put(queueKey(r.Priority, id), timeKey(next)); err != nil {
			return fmt.Errorf("requeue: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark outbound %d for retry: %w", id, err)
	}
	return nil
}

// SentToday counts the segments sent in the SIM day of now.
func (db *DB) SentToday(now time.Time) (segments int, err error) {
	err = db.bolt.View(func(tx *bbolt.Tx) error {
		segments = int(getUint(tx.Bucket(bucketDays), db.dayKey(now)))
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count segments sent today: %w", err)
	}
	return segments, nil
}
