package store

import (
	"encoding/binary"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// u64 is the big-endian 8-byte key of a sequence id, so keys sort by id.
func u64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

func fromU64(b []byte) uint64 {
	if len(b) < 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// timeKey encodes t as fixed-width big-endian Unix nanoseconds; the zero
// time encodes as 0 so it sorts first.
func timeKey(t time.Time) []byte {
	if t.IsZero() {
		return u64(0)
	}
	return u64(uint64(t.UnixNano()))
}

func fromTimeKey(b []byte) time.Time {
	n := fromU64(b)
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(n)).UTC()
}

func getUint(b *bbolt.Bucket, key []byte) uint64 {
	return fromU64(b.Get(key))
}

func putUint(b *bbolt.Bucket, key []byte, v uint64) error {
	return b.Put(key, u64(v))
}

// addUint adds delta (which may be negative) to a counter, never below 0.
func addUint(b *bbolt.Bucket, key []byte, delta int64) error {
	v := int64(getUint(b, key)) + delta
	if v < 0 {
		v = 0
	}
	return putUint(b, key, uint64(v))
}

// concat joins key parts into a fresh slice.
func concat(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// copyBytes copies a value out of bbolt, whose slices die with the
// transaction.
func copyBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte(nil), b...)
}

// digits reduces a phone number to its digits without leading zeros, so
// "+919790197346", "919790197346" and a national "09790197346" compare by
// suffix.
func digits(number string) string {
	var sb strings.Builder
	for _, r := range number {
		if r >= '0' && r <= '9' {
			sb.WriteRune(r)
		}
	}
	return strings.TrimLeft(sb.String(), "0")
}

// suffixLen is how many trailing digits key the MR index; enough to tell
// subscribers apart, few enough that national and international forms of
// one number share a key.
const suffixLen = 8

func numberSuffix(number string) string {
	d := digits(number)
	if len(d) > suffixLen {
		d = d[len(d)-suffixLen:]
	}
	if d == "" {
		// Alphanumeric or empty: key by the text itself.
		return strings.ToLower(strings.TrimSpace(number))
	}
	return d
}
