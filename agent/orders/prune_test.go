package orders_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/sync/outbox"
)

// TestPrune: only final orders last changed before the cutoff whose every
// change the server holds go; open orders, recent ones and ones with a
// change still in the sync outbox stay, and a walk in chunks of one finds
// the same as one walk.
func TestPrune(t *testing.T) {
	old := t0.Add(-400 * 24 * time.Hour)
	for _, chunk := range []int{1, 2, 1000} {
		db := openDB(t)
		type spec struct {
			name   string
			path   []orders.State
			at     time.Time
			pushed bool
			stays  bool
		}
		specs := []spec{
			{"delivered, pushed", pathTo[orders.Delivered], old, true, false},
			{"rejected, pushed", pathTo[orders.Rejected], old, true, false},
			{"cancelled, pushed", pathTo[orders.Cancelled], old, true, false},
			{"delivered, not pushed", pathTo[orders.Delivered], old, false, true},
			{"accepted (open)", pathTo[orders.Accepted], old, true, true},
			{"placed (open)", nil, old, true, true},
			{"delivered recently", pathTo[orders.Delivered], t0.Add(-time.Hour), true, true},
		}
		ids := make([]string, len(specs))
		for i, s := range specs {
			b := basket(asha)
			b.Lines = b.Lines[:1]
			b.Lines[0].Qty = 1
			o := place(t, db, b, s.at)
			ids[i] = o.ID
			update(t, db, func(tx *store.Tx) error {
				for _, st := range s.path {
					if _, err := orders.TransitionQuiet(tx, o.ID, st, "", orders.ByOperator, s.at); err != nil {
						return err
					}
				}
				return nil
			})
		}
		// The server acknowledges every record but those of the orders
		// not pushed.
		update(t, db, func(tx *store.Tx) error {
			recs, err := outbox.Pending(tx.Bolt(), 0, 0)
			if err != nil {
				return err
			}
			var acked []uint64
			for _, r := range recs {
				keep := false
				for i, s := range specs {
					if !s.pushed && (strings.HasPrefix(r.Key, outbox.KindOrder+":"+ids[i]+":") || strings.HasPrefix(r.Key, outbox.KindOrderState+":"+ids[i]+":")) {
						keep = true
					}
				}
				if !keep {
					acked = append(acked, r.Seq)
				}
			}
			return outbox.Ack(tx.Bolt(), acked)
		})

		cutoff := t0.Add(-365 * 24 * time.Hour)
		total := 0
		var from []byte
		for walks := 0; ; walks++ {
			if walks > len(specs)+1 {
				t.Fatalf("chunk %d: the walk does not end", chunk)
			}
			var (
				n    int
				next []byte
			)
			update(t, db, func(tx *store.Tx) (err error) {
				n, next, err = orders.Prune(tx.Bolt(), cutoff, from, chunk)
				return err
			})
			total += n
			if next == nil {
				break
			}
			from = next
		}
		if total != 3 {
			t.Errorf("chunk %d: removed %d orders, want 3", chunk, total)
		}
		testkit.View(t, db, func(tx *bbolt.Tx) error {
			for i, s := range specs {
				_, err := orders.Get(tx, ids[i])
				switch {
				case s.stays && err != nil:
					t.Errorf("chunk %d: %s: gone (%v), want it kept", chunk, s.name, err)
				case !s.stays && !errors.Is(err, orders.ErrNotFound):
					t.Errorf("chunk %d: %s: still there (err %v), want it pruned", chunk, s.name, err)
				}
			}
			all, err := orders.List(tx, orders.Filter{})
			if err != nil {
				return err
			}
			mine, err := orders.List(tx, orders.Filter{Shopper: asha})
			if err != nil {
				return err
			}
			if len(all) != 4 || len(mine) != 4 {
				t.Errorf("chunk %d: listed %d orders, %d by shopper, want 4 and 4 (the indexes lost their pruned entries)", chunk, len(all), len(mine))
			}
			return nil
		})
	}
}
