package uplink

import (
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/store"
)

// The store makes these buckets on open; the code here assumes each exists.
func init() { store.Declare("agent/uplink", bucketState, bucketRejected) }

var (
	bucketState = []byte("sync/state")
	keyState    = []byte("state")
)

// state is what the client remembers between rounds and restarts.
type state struct {
	CatalogVersion uint64    `json:"catalogVersion"`
	Cursor         string    `json:"cursor,omitempty"` // mid-delta position; "" between deltas
	LastSuccess    time.Time `json:"lastSuccess,omitzero"`
	LastAttempt    time.Time `json:"lastAttempt,omitzero"`
	LastError      string    `json:"lastError,omitempty"`
	Day            string    `json:"day,omitempty"` // budget day the byte counts belong to, "20060102"
	BytesSent      int64     `json:"bytesSent"`
	BytesReceived  int64     `json:"bytesReceived"`
}

// loadState reads the state; a fresh file gives the zero state.
func loadState(tx *bbolt.Tx) (s state, err error) {
	_, err = store.Load(tx, bucketState, keyState, &s)
	return s, err
}

func saveState(tx *bbolt.Tx, s state) error { return store.Save(tx, bucketState, keyState, s) }

// updateState applies fn to the stored state in tx.
func updateState(tx *bbolt.Tx, fn func(*state)) error {
	s, err := loadState(tx)
	if err != nil {
		return err
	}
	fn(&s)
	return saveState(tx, s)
}

// bytesOn returns the byte counts of day; counts of an earlier day are 0.
func (s state) bytesOn(day string) (sent, received int64) {
	if s.Day != day {
		return 0, 0
	}
	return s.BytesSent, s.BytesReceived
}
