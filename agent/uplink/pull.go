package uplink

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/sync/outbox"
	"github.com/tokrihq/tokri/sync/wire"
)

// pull asks for catalog pages until the delta is complete, applying each
// page with its cursor (or, on the last, the new version) in one
// transaction. When known, current is the server's catalog version from
// this round's push answer: an agent already there with no delta under way
// asks nothing.
func (c *Client) pull(ctx context.Context, r *Round, current uint64, known bool) error {
	restarted := false
	for first := true; ; first = false {
		var st state
		err := c.opts.DB.View(func(tx *store.Tx) error {
			var err error
			st, err = loadState(tx.Bolt())
			return err
		})
		if err != nil {
			return err
		}
		if first && known && st.Cursor == "" && st.CatalogVersion == current {
			return nil
		}
		q := url.Values{}
		q.Set("since", strconv.FormatUint(st.CatalogVersion, 10))
		q.Set("limit", strconv.Itoa(c.opts.PageItems))
		if st.Cursor != "" {
			q.Set("cursor", st.Cursor)
		}
		var page wire.CatalogResponse
		err = c.call(ctx, "GET", wire.PathCatalog+"?"+q.Encode(), nil, &page, r)
		var werr *wire.Error
		if errors.As(err, &werr) && werr.Code == wire.CodeBadCursor && st.Cursor != "" && !restarted {
			// The server no longer knows the cursor: start the delta
			// again from the last complete version.
			restarted = true
			c.log.Warn().Msg("server refused the catalog cursor; restarting the delta")
			err = c.opts.DB.Update(func(tx *store.Tx) error {
				return updateState(tx.Bolt(), func(s *state) { s.Cursor = "" })
			})
			if err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if page.More && (page.Cursor == "" || page.Cursor == st.Cursor) {
			return fmt.Errorf("catalog page says more but gives no new cursor")
		}
		if len(page.Items) == 0 && len(page.Categories) == 0 && !page.More && st.Cursor == "" && page.Version == st.CatalogVersion {
			return nil // nothing new: the round writes nothing
		}
		var withdrawn int
		err = c.opts.DB.Update(func(tx *store.Tx) error {
			withdrawn = 0
			for _, it := range page.Items {
				w, err := applyItem(tx.Bolt(), it)
				if err != nil {
					return err
				}
				if w {
					withdrawn++
				}
			}
			for _, cat := range page.Categories {
				if err := catalog.SetCategoryOrder(tx.Bolt(), cat.Name, cat.Order); err != nil {
					return fmt.Errorf("store category order: %w", err)
				}
			}
			return updateState(tx.Bolt(), func(s *state) {
				if page.More {
					s.Cursor = page.Cursor
				} else {
					s.Cursor, s.CatalogVersion = "", page.Version
				}
			})
		})
		if err != nil {
			return fmt.Errorf("apply catalog page: %w", err)
		}
		r.Items += len(page.Items)
		r.Withdrawn += withdrawn
		if !page.More {
			return nil
		}
	}
}

// applyItem stores one item of a delta and says whether it was newly
// withdrawn (the shop drops such items from carts and says so, reading
// the catalog's Active flag). The stock kept is the server's figure plus the local movements
// the server has not acknowledged yet.
func applyItem(tx *bbolt.Tx, w wire.Item) (withdrawn bool, err error) {
	old, err := catalog.Get(tx, w.SKU)
	existed := err == nil
	if err != nil && !errors.Is(err, catalog.ErrNotFound) {
		return false, fmt.Errorf("read item %q: %w", w.SKU, err)
	}
	delta, err := outbox.LocalStockDelta(tx, w.SKU)
	if err != nil {
		return false, err
	}
	it := catalog.Item{
		SKU: w.SKU, Name: w.Name, NameHi: w.NameHi, Category: w.Category, Unit: w.Unit,
		Price: w.Price, Stock: max(w.Stock+delta, 0), Active: w.Active,
		Synonyms: append([]string(nil), w.Synonyms...),
	}
	if err := catalog.Put(tx, it); err != nil {
		return false, fmt.Errorf("store item %q: %w", w.SKU, err)
	}
	return existed && old.Active && !w.Active, nil
}
