package store

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// Records are stored as JSON with short field names: simple, readable with
// bbolt's CLI, and fast enough for SMS rates. They are private so the
// public types can change without a migration.

type inboundRec struct {
	Ch      string    `json:"ch"`
	From    string    `json:"f"`
	Text    string    `json:"t,omitempty"`
	Enc     string    `json:"e,omitempty"`
	Bin     []byte    `json:"b,omitempty"`
	Parts   int       `json:"p"`
	SCTS    time.Time `json:"s"`
	At      time.Time `json:"a"`
	Handled bool      `json:"h,omitempty"`
	HAt     time.Time `json:"ha"`
	Missing int       `json:"mp,omitempty"` // parts of a long message that never came
}

type partRec struct {
	Seq  int       `json:"q"`
	Raw  []byte    `json:"r"`
	Text string    `json:"t,omitempty"`
	Enc  string    `json:"e,omitempty"`
	Bin  []byte    `json:"b,omitempty"`
	SCTS time.Time `json:"s"`
	At   time.Time `json:"a"`
	Key  []byte    `json:"k"`
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
	Raw   []byte    `json:"r"`
	To    string    `json:"to"`
	MR    int       `json:"mr"`
	St    int       `json:"st"`
	SCTS  time.Time `json:"s"`
	DT    time.Time `json:"dt"`
	At    time.Time `json:"a"`
	Match uint64    `json:"m,omitempty"` // outbound id updated, 0 if none
	Key   []byte    `json:"k"`
}

type submitRec struct {
	Raw  []byte    `json:"r"`
	To   string    `json:"to"`
	Text string    `json:"t,omitempty"`
	Enc  string    `json:"e,omitempty"`
	At   time.Time `json:"a"`
	Key  []byte    `json:"k"`
}

type undecodableRec struct {
	Raw []byte    `json:"r"`
	Err string    `json:"err"`
	At  time.Time `json:"a"`
	Key []byte    `json:"k"`
}

// outRec is an outbound message, queued or sent. The same record moves
// from bucketOutbox to bucketSent under the same id.
type outRec struct {
	To      string    `json:"to"`
	Text    string    `json:"t"`
	Pri     Priority  `json:"p"`
	Ref     int       `json:"ref"`
	SR      bool      `json:"sr,omitempty"`
	Seg     int       `json:"seg"`
	Enc     string    `json:"e"`
	CAt     time.Time `json:"ca"`
	Att     int       `json:"att,omitempty"`
	Next    time.Time `json:"na"`
	Sent    int       `json:"ps,omitempty"`
	MRs     []int     `json:"mr,omitempty"`
	St      []int     `json:"st,omitempty"` // TP-ST per part, -1 until reported
	Err     string    `json:"err,omitempty"`
	Reply   uint64    `json:"irt,omitempty"`
	SAt     time.Time `json:"sa"`
	Failed  bool      `json:"fail,omitempty"`
	Reports time.Time `json:"ra"` // last status report
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
