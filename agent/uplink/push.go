package uplink

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/sync/outbox"
	"github.com/tokrihq/tokri/sync/wire"
)

var bucketRejected = []byte("sync/rejected") // seq -> rejected record JSON

// rejected is a record the server refused for good, kept for the operator.
type rejected struct {
	Record  outbox.Record `json:"record"`
	Code    string        `json:"code"`
	Message string        `json:"message"`
	At      time.Time     `json:"at"`
}

// push sends pending records in batches until none is left. Records are
// acknowledged only when the server says it holds them; a record in no list
// of the answer stays pending for the next round.
//
// A push answer also says how the push moved the catalog version. When the
// agent's complete version was the one the push started from, the only
// catalog change up to the new version is the stock its own records moved,
// which it already made locally: it takes the new version in the same
// transaction as the acks. current says the server's version as of the last
// answer, for pull to skip a catalog call that could bring nothing new.
func (c *Client) push(ctx context.Context, r *Round) (current uint64, known bool, err error) {
	var after uint64
	for {
		var recs []outbox.Record
		err := c.opts.DB.View(func(tx *store.Tx) error {
			var err error
			recs, err = outbox.Pending(tx.Bolt(), after, c.opts.Batch)
			return err
		})
		if err != nil {
			return 0, false, fmt.Errorf("read sync outbox: %w", err)
		}
		if len(recs) == 0 {
			return current, known, nil
		}
		after = recs[len(recs)-1].Seq
		req := wire.PushRequest{Records: make([]wire.Record, len(recs))}
		sent := make(map[uint64]outbox.Record, len(recs))
		for i, rec := range recs {
			req.Records[i] = toWire(rec)
			sent[rec.Seq] = rec
		}
		var resp wire.PushResponse
		if err := c.call(ctx, "POST", wire.PathOutbox, req, &resp, r); err != nil {
			return 0, false, err
		}
		var acks []uint64
		var dups int
		for _, a := range resp.Acked {
			// An answer about a record not sent, or under another key, is
			// not proof that this record is stored.
			if rec, ok := sent[a.Seq]; ok && rec.Key == a.Key {
				acks = append(acks, a.Seq)
				if a.Duplicate {
					dups++
				}
			}
		}
		var rejs []rejected
		now := c.now().UTC()
		for _, j := range resp.Rejected {
			if rec, ok := sent[j.Seq]; ok && rec.Key == j.Key {
				rejs = append(rejs, rejected{Record: rec, Code: j.Code, Message: j.Message, At: now})
			}
		}
		done := append([]uint64(nil), acks...)
		for _, j := range rejs {
			done = append(done, j.Record.Seq)
		}
		err = c.opts.DB.Update(func(tx *store.Tx) error {
			if err := setAside(tx.Bolt(), rejs); err != nil {
				return err
			}
			for _, seq := range acks {
				if err := markSynced(tx.Bolt(), sent[seq]); err != nil {
					return fmt.Errorf("mark order synced: %w", err)
				}
			}
			if err := outbox.Ack(tx.Bolt(), done); err != nil {
				return err
			}
			if resp.Catalog == nil {
				return nil
			}
			return updateState(tx.Bolt(), func(s *state) {
				if s.Cursor == "" && s.CatalogVersion == resp.Catalog.From {
					s.CatalogVersion = resp.Catalog.Version
				}
			})
		})
		if err != nil {
			return 0, false, fmt.Errorf("ack pushed records: %w", err)
		}
		if resp.Catalog != nil {
			current, known = resp.Catalog.Version, true
		}
		r.Pushed += len(acks)
		r.Duplicates += dups
		r.Rejected += len(rejs)
		for _, j := range rejs {
			c.log.Warn().Str("key", j.Record.Key).Str("code", j.Code).Str("reason", j.Message).Msg("server refused a sync record; set aside")
		}
	}
}

// setAside keeps refused records in sync/rejected.
func setAside(tx *bbolt.Tx, rejs []rejected) error {
	if len(rejs) == 0 {
		return nil
	}
	b := tx.Bucket(bucketRejected)
	for _, j := range rejs {
		v, err := json.Marshal(j)
		if err != nil {
			return fmt.Errorf("encode rejected record %d: %w", j.Record.Seq, err)
		}
		if err := b.Put(seqKey(j.Record.Seq), v); err != nil {
			return fmt.Errorf("store rejected record %d: %w", j.Record.Seq, err)
		}
	}
	return nil
}

func countRejected(tx *bbolt.Tx) (int, error) {
	b := tx.Bucket(bucketRejected)
	if b == nil {
		return 0, nil
	}
	return b.Stats().KeyN, nil
}

func seqKey(seq uint64) []byte {
	k := make([]byte, 8)
	for i := 7; i >= 0; i-- {
		k[i] = byte(seq)
		seq >>= 8
	}
	return k
}
