package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tokrihq/tokri/sync/server"
	"github.com/tokrihq/tokri/sync/wire"
)

var _ server.Storage = (*Store)(nil)

// Store is Storage over a PostgreSQL connection pool.
type Store struct {
	pool *pgxpool.Pool
}

// Open connects to dsn (postgres://...) and creates the tables if missing.
func Open(ctx context.Context, dsn string) (*Store, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	if _, err := pool.Exec(ctx, schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("create schema: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Reset deletes every row of every store: for tests only.
func (s *Store) Reset(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, "TRUNCATE "+strings.Join(tables, ", "))
	return err
}

func (s *Store) AddStore(ctx context.Context, store, secret string, now time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO central_stores (id, secret, created) VALUES ($1, $2, $3)`, store, secret, now.UTC())
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" { // unique_violation
		return fmt.Errorf("add store %s: %w", store, server.ErrStoreExists)
	}
	if err != nil {
		return fmt.Errorf("add store %s: %w", store, err)
	}
	return nil
}

func (s *Store) Secret(ctx context.Context, store string) (string, error) {
	var secret string
	err := s.pool.QueryRow(ctx, `SELECT secret FROM central_stores WHERE id = $1`, store).Scan(&secret)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("store %s: %w", store, server.ErrUnknownStore)
	}
	if err != nil {
		return "", fmt.Errorf("secret of %s: %w", store, err)
	}
	return secret, nil
}

// inTx runs fn in a transaction after locking the store's row, so writes to
// one store (and its version) are serialised while other stores go on.
func (s *Store) inTx(ctx context.Context, store string, lock bool, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	q := `SELECT 1 FROM central_stores WHERE id = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	var one int
	if err := tx.QueryRow(ctx, q, store).Scan(&one); errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("store %s: %w", store, server.ErrUnknownStore)
	} else if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (s *Store) Push(ctx context.Context, store string, recs []server.Record, now time.Time) (server.PushResult, error) {
	res := server.PushResult{Dup: make([]bool, len(recs))}
	err := s.inTx(ctx, store, true, func(tx pgx.Tx) error {
		var err error
		if res.From, err = version(ctx, tx, store); err != nil {
			return err
		}
		deltas := map[string]int{}
		for i, r := range recs {
			tag, err := tx.Exec(ctx, `INSERT INTO central_records (store, key, seq, kind, body, at, received)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (store, key) DO NOTHING`,
				store, r.Key, int64(r.Seq), r.Kind, string(r.Body), r.At.UTC(), now)
			if err != nil {
				return fmt.Errorf("insert record: %w", err)
			}
			if tag.RowsAffected() == 0 {
				res.Dup[i] = true
				continue
			}
			if r.Stock != nil {
				deltas[r.Stock.SKU] += r.Stock.Delta
				continue
			}
			if err := applyOrder(ctx, tx, store, r, now, deltas); err != nil {
				return err
			}
		}
		if err := applyStock(ctx, tx, store, deltas); err != nil {
			return err
		}
		res.Version, err = version(ctx, tx, store)
		return err
	})
	if err != nil {
		return server.PushResult{}, fmt.Errorf("push for %s: %w", store, err)
	}
	return res, nil
}

// version reads the store's catalog version in tx.
func version(ctx context.Context, tx pgx.Tx, store string) (uint64, error) {
	var v int64
	if err := tx.QueryRow(ctx, `SELECT version FROM central_stores WHERE id = $1`, store).Scan(&v); err != nil {
		return 0, fmt.Errorf("read catalog version: %w", err)
	}
	return uint64(v), nil
}

// applyOrder folds r into its order and adds the stock that moved to
// deltas.
func applyOrder(ctx context.Context, tx pgx.Tx, store string, r server.Record, now time.Time, deltas map[string]int) error {
	var o server.Order
	var data []byte
	err := tx.QueryRow(ctx, `SELECT data FROM central_orders WHERE store = $1 AND id = $2`, store, r.OrderID()).Scan(&data)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return fmt.Errorf("read order %s: %w", r.OrderID(), err)
	default:
		if err := json.Unmarshal(data, &o); err != nil {
			return fmt.Errorf("read order %s: %w", r.OrderID(), err)
		}
	}
	before := o
	server.ApplyOrder(&o, r, now)
	server.StockMoves(before, o, deltas)
	data, _ = json.Marshal(o)
	_, err = tx.Exec(ctx, `INSERT INTO central_orders (store, id, created_at, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (store, id) DO UPDATE SET created_at = EXCLUDED.created_at, data = EXCLUDED.data`,
		store, o.ID, o.CreatedAt().UTC(), data)
	if err != nil {
		return fmt.Errorf("write order %s: %w", o.ID, err)
	}
	return nil
}

func bumpVersion(ctx context.Context, tx pgx.Tx, store string) (uint64, error) {
	var v int64
	err := tx.QueryRow(ctx, `UPDATE central_stores SET version = version + 1 WHERE id = $1 RETURNING version`, store).Scan(&v)
	return uint64(v), err
}

func applyStock(ctx context.Context, tx pgx.Tx, store string, deltas map[string]int) error {
	var ver uint64
	for sku, d := range deltas {
		if d == 0 {
			continue
		}
		it, ok, err := getItem(ctx, tx, store, sku)
		if err != nil {
			return err
		}
		if !ok { // a SKU the server does not know moves nothing
			continue
		}
		if ver == 0 {
			if ver, err = bumpVersion(ctx, tx, store); err != nil {
				return fmt.Errorf("bump version: %w", err)
			}
		}
		it.Stock += d
		if err := putItem(ctx, tx, store, it, ver); err != nil {
			return err
		}
	}
	return nil
}

func getItem(ctx context.Context, tx pgx.Tx, store, sku string) (wire.Item, bool, error) {
	var data []byte
	err := tx.QueryRow(ctx, `SELECT data FROM central_items WHERE store = $1 AND sku = $2`, store, sku).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return wire.Item{}, false, nil
	}
	if err != nil {
		return wire.Item{}, false, fmt.Errorf("read item %s: %w", sku, err)
	}
	var it wire.Item
	if err := json.Unmarshal(data, &it); err != nil {
		return wire.Item{}, false, fmt.Errorf("read item %s: %w", sku, err)
	}
	return it, true, nil
}

func putItem(ctx context.Context, tx pgx.Tx, store string, it wire.Item, ver uint64) error {
	data, _ := json.Marshal(it)
	_, err := tx.Exec(ctx, `INSERT INTO central_items (store, sku, version, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (store, sku) DO UPDATE SET version = EXCLUDED.version, data = EXCLUDED.data`,
		store, it.SKU, int64(ver), data)
	if err != nil {
		return fmt.Errorf("write item %s: %w", it.SKU, err)
	}
	return nil
}

func (s *Store) Orders(ctx context.Context, store string, limit int) ([]server.Order, error) {
	var out []server.Order
	err := s.inTx(ctx, store, false, func(tx pgx.Tx) error {
		q := `SELECT data FROM central_orders WHERE store = $1 ORDER BY created_at DESC, id DESC`
		args := []any{store}
		if limit > 0 {
			q += ` LIMIT $2`
			args = append(args, limit)
		}
		rows, err := tx.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var data []byte
			if err := rows.Scan(&data); err != nil {
				return err
			}
			var o server.Order
			if err := json.Unmarshal(data, &o); err != nil {
				return fmt.Errorf("read order: %w", err)
			}
			out = append(out, o)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("orders of %s: %w", store, err)
	}
	return out, nil
}

func (s *Store) ImportCatalog(ctx context.Context, store string, items []wire.Item, cats []wire.Category) (server.ImportResult, error) {
	var res server.ImportResult
	err := s.inTx(ctx, store, true, func(tx pgx.Tx) error {
		var cur int64
		var catData []byte
		if err := tx.QueryRow(ctx, `SELECT version, categories FROM central_stores WHERE id = $1`, store).Scan(&cur, &catData); err != nil {
			return err
		}
		res.Version = uint64(cur)
		next := res.Version + 1
		var old []wire.Category
		if err := json.Unmarshal(catData, &old); err != nil {
			return fmt.Errorf("read categories: %w", err)
		}
		changed := false
		if !slices.Equal(old, cats) {
			if cats == nil {
				cats = []wire.Category{}
			}
			data, _ := json.Marshal(cats)
			if _, err := tx.Exec(ctx, `UPDATE central_stores SET categories = $2, categories_version = $3 WHERE id = $1`, store, data, int64(next)); err != nil {
				return fmt.Errorf("write categories: %w", err)
			}
			res.CategoriesReplaced, changed = true, true
		}
		for _, it := range items {
			old, ok, err := getItem(ctx, tx, store, it.SKU)
			if err != nil {
				return err
			}
			if !res.Count(old, ok, it) {
				continue
			}
			if err := putItem(ctx, tx, store, it, next); err != nil {
				return err
			}
			changed = true
		}
		if changed {
			v, err := bumpVersion(ctx, tx, store)
			if err != nil {
				return fmt.Errorf("bump version: %w", err)
			}
			res.Version = v
		}
		return nil
	})
	if err != nil {
		return server.ImportResult{}, fmt.Errorf("import catalog for %s: %w", store, err)
	}
	return res, nil
}

func (s *Store) CatalogPage(ctx context.Context, store string, after wire.Cursor, limit int) (server.Page, error) {
	var p server.Page
	err := s.inTx(ctx, store, false, func(tx pgx.Tx) error {
		var ver, catVer int64
		var catData []byte
		if err := tx.QueryRow(ctx, `SELECT version, categories, categories_version FROM central_stores WHERE id = $1`, store).
			Scan(&ver, &catData, &catVer); err != nil {
			return err
		}
		p.Version, p.CategoriesVersion = uint64(ver), uint64(catVer)
		if err := json.Unmarshal(catData, &p.Categories); err != nil {
			return fmt.Errorf("read categories: %w", err)
		}
		if len(p.Categories) == 0 {
			p.Categories = nil
		}
		afterVer, afterSKU := int64(after.Version), after.SKU
		if afterSKU == "" {
			afterVer++ // "after every item of Version": from the next version on
		}
		rows, err := tx.Query(ctx, `SELECT version, data FROM central_items
			WHERE store = $1 AND (version, sku) > ($2, $3) ORDER BY version, sku LIMIT $4`,
			store, afterVer, afterSKU, limit+1)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v int64
			var data []byte
			if err := rows.Scan(&v, &data); err != nil {
				return err
			}
			if len(p.Items) == limit {
				p.More = true
				break
			}
			var it wire.Item
			if err := json.Unmarshal(data, &it); err != nil {
				return fmt.Errorf("read item: %w", err)
			}
			p.Items = append(p.Items, it)
			p.Stamps = append(p.Stamps, uint64(v))
		}
		return rows.Err()
	})
	if err != nil {
		return server.Page{}, fmt.Errorf("catalog page for %s: %w", store, err)
	}
	return p, nil
}

func (s *Store) CatalogVersion(ctx context.Context, store string) (uint64, error) {
	var v int64
	err := s.pool.QueryRow(ctx, `SELECT version FROM central_stores WHERE id = $1`, store).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("store %s: %w", store, server.ErrUnknownStore)
	}
	if err != nil {
		return 0, fmt.Errorf("catalog version of %s: %w", store, err)
	}
	return uint64(v), nil
}
