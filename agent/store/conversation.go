package store

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// Message is one SMS of a conversation as the operator reads it: what a
// shopper sent, or what the shop sent or will send them.
type Message struct {
	ID       uint64    `json:"id"` // the inbound or outbound record's id
	Inbound  bool      `json:"inbound,omitempty"`
	At       time.Time `json:"at"` // received, or (outbound) queued: the conversation's order
	Text     string    `json:"text"`
	Segments int       `json:"segments,omitempty"` // outbound only
	State    string    `json:"state"`              // MsgReceived, MsgQueued, MsgSent, MsgDelivered or MsgFailed
	Error    string    `json:"error,omitempty"`    // why a send failed, in the modem's words
}

// States of a Message.
const (
	MsgReceived  = "received"
	MsgQueued    = "queued"
	MsgSent      = "sent"
	MsgDelivered = "delivered"
	MsgFailed    = "failed"
)

// Conversation returns the latest limit messages to and from number
// (any form of it: +91..., 0..., the bare ten digits), oldest first. It
// reads the inbox, the outbox and the sent log: what retention has not
// pruned.
func (db *DB) Conversation(number string, limit int) ([]Message, error) {
	if limit <= 0 {
		limit = 50
	}
	var out []Message
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		take := func(bucket []byte, each func(k, v []byte) (Message, bool, error)) error {
			n := 0
			c := tx.Bucket(bucket).Cursor()
			for k, v := c.Last(); k != nil && n < limit; k, v = c.Prev() {
				m, ok, err := each(k, v)
				if err != nil {
					return err
				}
				if ok {
					out = append(out, m)
					n++
				}
			}
			return nil
		}
		err := take(bucketInbox, func(k, v []byte) (Message, bool, error) {
			var r inboundRec
			if err := decodeRec(k, v, &r); err != nil {
				return Message{}, false, err
			}
			if !db.country.Same(r.From, number) {
				return Message{}, false, nil
			}
			text := r.Text
			if r.Channel == ChannelCall {
				text = "(missed call)"
			}
			return Message{ID: fromU64(k), Inbound: true, At: r.ReceivedAt, Text: text, State: MsgReceived}, true, nil
		})
		if err != nil {
			return err
		}
		outbound := func(queued bool) func(k, v []byte) (Message, bool, error) {
			return func(k, v []byte) (Message, bool, error) {
				var r outRec
				if err := decodeRec(k, v, &r); err != nil {
					return Message{}, false, err
				}
				if !db.country.Same(r.To, number) {
					return Message{}, false, nil
				}
				m := Message{ID: fromU64(k), At: r.CreatedAt, Text: r.Text, Segments: r.Segments, Error: r.LastError}
				switch {
				case queued:
					m.State = MsgQueued
				case r.Failed:
					m.State = MsgFailed
				case delivery(r.PartStatus) == DeliveryDelivered:
					m.State = MsgDelivered
				default:
					m.State = MsgSent
				}
				return m, true, nil
			}
		}
		if err := take(bucketOutbox, outbound(true)); err != nil {
			return err
		}
		return take(bucketSent, outbound(false))
	})
	if err != nil {
		return nil, fmt.Errorf("read conversation: %w", err)
	}
	slices.SortStableFunc(out, func(a, b Message) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		if a.Inbound != b.Inbound { // a reply never comes before its message
			if a.Inbound {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, nil
}

// ErrNotFailed refuses to resend a message that did not fail.
var ErrNotFailed = errors.New("store: the message did not fail")

// Resend queues again, as a new message, a send that failed for good: the
// operator's retry. It returns the new message's id.
func (db *DB) Resend(id uint64, now time.Time) (uint64, error) {
	var nid uint64
	err := db.Update(func(tx *Tx) error {
		var r outRec
		found, err := get(tx.Bolt().Bucket(bucketSent), u64(id), &r)
		if err != nil {
			return err
		}
		if !found {
			return clean(ErrNotFound)
		}
		if !r.Failed {
			return ErrNotFailed
		}
		nid, err = tx.Enqueue(Outbound{To: r.To, Text: r.Text, Priority: r.Priority, CreatedAt: now})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("resend %d: %w", id, err)
	}
	return nid, nil
}

// Failed lists the latest limit sends that failed for good, newest first.
func (db *DB) Failed(limit int) ([]SentRecord, error) {
	out, err := db.sentRecords(limit, func(r *outRec) bool { return r.Failed })
	if err != nil {
		return nil, fmt.Errorf("list failed sends: %w", err)
	}
	return out, nil
}
