package outbox

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"go.etcd.io/bbolt"
)

// Bucket names, prefixed by package like every bucket in the agent's file.
var (
	bucketRecords = []byte("sync/outbox")
	bucketKeys    = []byte("sync/outbox_keys")  // idempotency key -> seq
	bucketStock   = []byte("sync/outbox_stock") // sku -> pending delta (int64)
)

// Buckets are this package's buckets, which the file's owner (the agent's
// store) creates on open: the code here assumes each exists.
var Buckets = [][]byte{bucketRecords, bucketKeys, bucketStock}

// Add appends a record of kind with idempotency key and body (marshalled to
// JSON) in tx, and returns its sequence number. A KindStock body must be a
// Stock (or marshal like one).
func Add(tx *bbolt.Tx, kind, key string, body any, at time.Time) (uint64, error) {
	if key == "" {
		return 0, fmt.Errorf("add %s record: empty key: %w", kind, ErrInvalid)
	}
	return add(tx, kind, func(uint64) string { return key }, body, at, nil)
}

// AddMoving is Add for a record whose effect at the server includes stock
// movements that travel inside the record rather than as stock records: an
// order takes its lines off the shelf, its rejection or cancellation puts
// them back. The moves stay on the agent (the server works them out from the
// record) and count in LocalStockDelta until the record is acknowledged,
// exactly like a stock record's delta.
func AddMoving(tx *bbolt.Tx, kind, key string, body any, at time.Time, moves []Stock) (uint64, error) {
	if key == "" {
		return 0, fmt.Errorf("add %s record: empty key: %w", kind, ErrInvalid)
	}
	if kind == KindStock {
		return 0, fmt.Errorf("add stock record with moves: %w", ErrInvalid)
	}
	for _, m := range moves {
		if m.SKU == "" {
			return 0, fmt.Errorf("add %s record %q: move with empty sku: %w", kind, key, ErrInvalid)
		}
	}
	return add(tx, kind, func(uint64) string { return key }, body, at, moves)
}

// AddStock records a stock movement of sku under the key "stock:<sku>:<seq>".
func AddStock(tx *bbolt.Tx, sku string, delta int, reason string, at time.Time) (uint64, error) {
	if sku == "" {
		return 0, fmt.Errorf("add stock record: empty sku: %w", ErrInvalid)
	}
	key := func(seq uint64) string { return KindStock + ":" + sku + ":" + strconv.FormatUint(seq, 10) }
	return add(tx, KindStock, key, Stock{SKU: sku, Delta: delta, Reason: reason}, at, nil)
}

func add(tx *bbolt.Tx, kind string, keyFn func(uint64) string, body any, at time.Time, moves []Stock) (uint64, error) {
	if kind == "" {
		return 0, fmt.Errorf("add record: empty kind: %w", ErrInvalid)
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return 0, fmt.Errorf("encode %s record body: %w", kind, err)
	}
	var stock Stock
	if kind == KindStock {
		if err := json.Unmarshal(raw, &stock); err != nil || stock.SKU == "" {
			return 0, fmt.Errorf("add stock record: body is not a stock movement: %w", ErrInvalid)
		}
	}
	recs := tx.Bucket(bucketRecords)
	keys := tx.Bucket(bucketKeys)
	seq, err := recs.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("next sync outbox sequence: %w", err)
	}
	key := keyFn(seq)
	if keys.Get([]byte(key)) != nil {
		return 0, fmt.Errorf("add %s record %q: %w", kind, key, ErrDuplicateKey)
	}
	rec := Record{Seq: seq, Key: key, Kind: kind, Body: raw, At: at.UTC(), Moves: moves}
	val, err := json.Marshal(rec)
	if err != nil {
		return 0, fmt.Errorf("encode sync record %d: %w", seq, err)
	}
	k := seqKey(seq)
	if err := recs.Put(k, val); err != nil {
		return 0, fmt.Errorf("store sync record %d: %w", seq, err)
	}
	if err := keys.Put([]byte(key), k); err != nil {
		return 0, fmt.Errorf("store sync record key %d: %w", seq, err)
	}
	if kind == KindStock {
		moves = []Stock{stock}
	}
	if err := addStockSums(tx, moves, 1); err != nil {
		return 0, err
	}
	return seq, nil
}

// Pending lists up to limit records with a sequence number above after,
// oldest first; limit <= 0 means all.
func Pending(tx *bbolt.Tx, after uint64, limit int) ([]Record, error) {
	recs := tx.Bucket(bucketRecords)
	if recs == nil {
		return nil, nil
	}
	var out []Record
	c := recs.Cursor()
	for k, v := c.Seek(seqKey(after + 1)); k != nil; k, v = c.Next() {
		if limit > 0 && len(out) >= limit {
			break
		}
		var rec Record
		if err := json.Unmarshal(v, &rec); err != nil {
			return nil, fmt.Errorf("decode sync record %d: %w", binary.BigEndian.Uint64(k), err)
		}
		out = append(out, rec)
	}
	return out, nil
}

// Ack removes the records the server has applied. Unknown sequence numbers
// (acknowledged before) are ignored, so a repeated Ack is harmless.
func Ack(tx *bbolt.Tx, seqs []uint64) error {
	recs := tx.Bucket(bucketRecords)
	if recs == nil || len(seqs) == 0 {
		return nil
	}
	keys := tx.Bucket(bucketKeys)
	for _, seq := range seqs {
		k := seqKey(seq)
		v := recs.Get(k)
		if v == nil {
			continue
		}
		var rec Record
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("decode sync record %d: %w", seq, err)
		}
		if err := recs.Delete(k); err != nil {
			return fmt.Errorf("delete sync record %d: %w", seq, err)
		}
		if keys != nil {
			if err := keys.Delete([]byte(rec.Key)); err != nil {
				return fmt.Errorf("delete sync record key %d: %w", seq, err)
			}
		}
		moves := rec.Moves
		if rec.Kind == KindStock {
			var s Stock
			if err := json.Unmarshal(rec.Body, &s); err != nil {
				return fmt.Errorf("decode stock record %d: %w", seq, err)
			}
			moves = []Stock{s}
		}
		if err := addStockSums(tx, moves, -1); err != nil {
			return err
		}
	}
	return nil
}

// Count is how many records wait for the server.
func Count(tx *bbolt.Tx) (int, error) {
	recs := tx.Bucket(bucketRecords)
	if recs == nil {
		return 0, nil
	}
	n := 0
	c := recs.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	return n, nil
}

// LocalStockDelta is the sum of the stock deltas for sku that the server has
// not acknowledged, from stock records and from the moves of other records
// (an order's lines): the agent's stock is the server's figure plus this.
func LocalStockDelta(tx *bbolt.Tx, sku string) (int, error) {
	b := tx.Bucket(bucketStock)
	if b == nil {
		return 0, nil
	}
	v := b.Get([]byte(sku))
	if v == nil {
		return 0, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("read pending stock delta of %q: bad length %d", sku, len(v))
	}
	return int(int64(binary.BigEndian.Uint64(v))), nil
}

// addStockSums adds sign times each move's delta to the running sums.
func addStockSums(tx *bbolt.Tx, moves []Stock, sign int64) error {
	for _, m := range moves {
		if m.Delta == 0 {
			continue
		}
		if err := addStockSum(tx, m.SKU, sign*int64(m.Delta)); err != nil {
			return err
		}
	}
	return nil
}

func addStockSum(tx *bbolt.Tx, sku string, delta int64) error {
	b := tx.Bucket(bucketStock)
	var sum int64
	if v := b.Get([]byte(sku)); len(v) == 8 {
		sum = int64(binary.BigEndian.Uint64(v))
	}
	sum += delta
	if sum == 0 {
		if err := b.Delete([]byte(sku)); err != nil {
			return fmt.Errorf("clear pending stock delta of %q: %w", sku, err)
		}
		return nil
	}
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(sum))
	if err := b.Put([]byte(sku), buf[:]); err != nil {
		return fmt.Errorf("store pending stock delta of %q: %w", sku, err)
	}
	return nil
}

func seqKey(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}
