package store

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// Records are stored as JSON: simple, readable with bbolt's CLI, and fast
// enough for SMS rates. The Go fields say what they hold; the JSON tags
// stay short and must never change, since they are the file's layout
// (testdata/schema3.db pins them). The records are private so the public
// types can change without a migration.

type inboundRec struct {
	Channel    string    `json:"ch"`
	From       string    `json:"f"`
	Text       string    `json:"t,omitempty"`
	Encoding   string    `json:"e,omitempty"`
	Binary     []byte    `json:"b,omitempty"`
	Parts      int       `json:"p"`
	SCTS       time.Time `json:"s"`
	ReceivedAt time.Time `json:"a"`
	Handled    bool      `json:"h,omitempty"`
	HandledAt  time.Time `json:"ha"`
	Missing    int       `json:"mp,omitempty"` // parts of a long message that never came
}

type partRec struct {
	Seq        int       `json:"q"`
	Raw        []byte    `json:"r"`
	Text       string    `json:"t,omitempty"`
	Encoding   string    `json:"e,omitempty"`
	Binary     []byte    `json:"b,omitempty"`
	SCTS       time.Time `json:"s"`
	ReceivedAt time.Time `json:"a"`
	Key        []byte    `json:"k"`
}

type groupRec struct {
	From    string    `json:"f"`
	RefBits int       `json:"rb"`
	Ref     int       `json:"r"`
	Total   int       `json:"n"`
	SCTS    time.Time `json:"s"` // of the first part stored
	Parts   []partRec `json:"p"` // sorted by Seq
}

type reportRec struct {
	Raw         []byte    `json:"r"`
	To          string    `json:"to"`
	MR          int       `json:"mr"`
	Status      int       `json:"st"` // TP-ST
	SCTS        time.Time `json:"s"`
	DischargeAt time.Time `json:"dt"` // TP-DT
	ReceivedAt  time.Time `json:"a"`
	MatchedID   uint64    `json:"m,omitempty"` // outbound id updated, 0 if none
	Key         []byte    `json:"k"`
}

type submitRec struct {
	Raw        []byte    `json:"r"`
	To         string    `json:"to"`
	Text       string    `json:"t,omitempty"`
	Encoding   string    `json:"e,omitempty"`
	ReceivedAt time.Time `json:"a"`
	Key        []byte    `json:"k"`
}

type undecodableRec struct {
	Raw        []byte    `json:"r"`
	Err        string    `json:"err"`
	ReceivedAt time.Time `json:"a"`
	Key        []byte    `json:"k"`
}

// outRec is an outbound message, queued or sent. The same record moves
// from bucketOutbox to bucketSent under the same id.
type outRec struct {
	To           string    `json:"to"`
	Text         string    `json:"t"`
	Priority     Priority  `json:"p"`
	Ref          int       `json:"ref"`
	StatusReport bool      `json:"sr,omitempty"`
	Segments     int       `json:"seg"`
	Encoding     string    `json:"e"`
	CreatedAt    time.Time `json:"ca"`
	Attempts     int       `json:"att,omitempty"`
	NextAttempt  time.Time `json:"na"`
	PartsSent    int       `json:"ps,omitempty"`
	MRs          []int     `json:"mr,omitempty"`
	PartStatus   []int     `json:"st,omitempty"` // TP-ST per part, -1 until reported
	LastError    string    `json:"err,omitempty"`
	InReplyTo    uint64    `json:"irt,omitempty"`
	SentAt       time.Time `json:"sa"`
	Failed       bool      `json:"fail,omitempty"`
	ReportedAt   time.Time `json:"ra"` // last status report
}

func put(b *bbolt.Bucket, key []byte, v any) error {
	buf, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode record %x: %w", key, err)
	}
	return b.Put(key, buf)
}

// decodeRec decodes a value read from a cursor or ForEach.
func decodeRec(key, val []byte, v any) error {
	if err := json.Unmarshal(val, v); err != nil {
		return fmt.Errorf("decode record %x: %w", key, err)
	}
	return nil
}

// get decodes the record at key into v; found is false if there is none.
func get(b *bbolt.Bucket, key []byte, v any) (found bool, err error) {
	buf := b.Get(key)
	if buf == nil {
		return false, nil
	}
	return true, decodeRec(key, buf, v)
}

// one reads record id of one bucket, in one read transaction, and returns
// what conv makes of it; a missing record is ErrNotFound. what names the
// record in the error.
func one[R, T any](db *DB, bucket []byte, id uint64, what string, conv func(r *R) T) (T, error) {
	var out T
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		var r R
		found, err := get(tx.Bucket(bucket), u64(id), &r)
		if err == nil && !found {
			err = ErrNotFound
		}
		if err == nil {
			out = conv(&r)
		}
		return err
	})
	if err != nil {
		var zero T
		return zero, fmt.Errorf("read %s %d: %w", what, id, err)
	}
	return out, nil
}

// list reads the records of one bucket in key order, in one read
// transaction, and keeps what keep makes of those it accepts; what names
// the list in the error.
func list[R, T any](db *DB, bucket []byte, what string, keep func(id uint64, r *R) (T, bool)) ([]T, error) {
	var out []T
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			var r R
			if err := decodeRec(k, v, &r); err != nil {
				return err
			}
			if t, ok := keep(fromU64(k), &r); ok {
				out = append(out, t)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	return out, nil
}

// name is the name names gives v, or kind(v) for a value it does not name,
// for the String methods of the store's enums.
func name[T ~int](names []string, v T, kind string) string {
	if v >= 0 && int(v) < len(names) && names[v] != "" {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", kind, int(v))
}
