package server

import (
	"context"
	"errors"
	"time"

	"github.com/tokrihq/tokri/sync/wire"
)

// Sentinel errors of Storage implementations.
var (
	// ErrUnknownStore means no store has the ID.
	ErrUnknownStore = errors.New("unknown store")
	// ErrStoreExists means AddStore was given an ID already in use.
	ErrStoreExists = errors.New("store already exists")
)

// Storage keeps every store's credentials, received records, orders and
// catalog. Every method is scoped to one store; implementations never let a
// call for one store see another's rows.
type Storage interface {
	// AddStore registers a store with its secret.
	AddStore(ctx context.Context, store, secret string, now time.Time) error
	// Secret returns the store's secret, or ErrUnknownStore.
	Secret(ctx context.Context, store string) (string, error)
	// Push stores records (already checked by Check) in one transaction and
	// applies their effects: orders and their states (ApplyOrder), and the
	// stock they move (StockMoves) together with stock records, under at
	// most one new catalog version. Dup[i] is true when a record with
	// recs[i].Key was already held, in which case nothing of it is stored or
	// applied.
	Push(ctx context.Context, store string, recs []Record, now time.Time) (PushResult, error)
	// Orders lists the store's orders, newest placed first; limit 0 is all.
	Orders(ctx context.Context, store string, limit int) ([]Order, error)
	// ImportCatalog upserts items and replaces the category list. Items that
	// change (or are new) get a new catalog version; if nothing changes the
	// version stays.
	ImportCatalog(ctx context.Context, store string, items []wire.Item, cats []wire.Category) (ImportResult, error)
	// CatalogPage returns up to limit items changed after the cursor position
	// (see Page).
	CatalogPage(ctx context.Context, store string, after wire.Cursor, limit int) (Page, error)
	// CatalogVersion is the store's current catalog version (0 before any
	// catalog write).
	CatalogVersion(ctx context.Context, store string) (uint64, error)
	// UseNonce records that store used nonce at now and reports whether the
	// nonce is fresh: false when the store already used it after since (a
	// replay). A use at or before since is forgotten and replaced. Every
	// server process over the same storage sees the same answer, so a replay
	// is refused across restarts and across servers.
	UseNonce(ctx context.Context, store, nonce string, now, since time.Time) (bool, error)
	// ForgetNonces deletes the nonce uses at or before before and reports
	// how many it deleted.
	ForgetNonces(ctx context.Context, before time.Time) (int, error)
	Close() error
}

// PushResult says what Push did: which records were duplicates, and the
// catalog version before and after (equal when no stock moved), read in the
// push's transaction.
type PushResult struct {
	Dup           []bool
	From, Version uint64
}

// Record is one pushed record after Check: the wire record plus its decoded
// body (exactly one of Order, State, Stock is set, by Kind).
type Record struct {
	wire.Record
	Order *wire.OrderBody
	State *wire.OrderStateBody
	Stock *wire.StockBody
}

// Order is the server's view of one order: the order as placed (prices as
// the shopper was quoted) and the state changes received since.
type Order struct {
	ID         string             `json:"id"`
	Placed     *wire.OrderBody    `json:"placed,omitempty"` // nil while only state changes arrived
	State      string             `json:"state"`
	History    []wire.StateChange `json:"history,omitempty"` // from order_state records, in arrival order
	ReceivedAt time.Time          `json:"receivedAt"`
	UpdatedAt  time.Time          `json:"updatedAt"`
}

// CreatedAt is when the order was placed on the agent, or first heard of.
func (o Order) CreatedAt() time.Time {
	if o.Placed != nil && !o.Placed.CreatedAt.IsZero() {
		return o.Placed.CreatedAt
	}
	return o.ReceivedAt
}

// ImportResult says what ImportCatalog changed.
type ImportResult struct {
	Version            uint64
	Added, Updated     int
	Unchanged          int
	CategoriesReplaced bool
}

// Count tallies one imported item against the stored one (ok says one is
// stored) and reports whether the import must write it.
func (r *ImportResult) Count(stored wire.Item, ok bool, it wire.Item) bool {
	switch {
	case ok && ItemEqual(stored, it):
		r.Unchanged++
		return false
	case ok:
		r.Updated++
	default:
		r.Added++
	}
	return true
}

// Page is one page of a catalog delta. Items are ordered by the version that
// last changed them, then SKU; Stamps[i] is Items[i]'s version. More says
// items remain after the last one. Version is the store's catalog version read
// with the page. Categories and CategoriesVersion are the store's whole list
// and the version that last changed it.
type Page struct {
	Items             []wire.Item
	Stamps            []uint64
	More              bool
	Version           uint64
	Categories        []wire.Category
	CategoriesVersion uint64
}

// After reports whether an item at (ver, sku) lies after the cursor position:
// an empty cursor SKU means after every item of cursor Version.
func After(c wire.Cursor, ver uint64, sku string) bool {
	if c.SKU == "" {
		return ver > c.Version
	}
	return ver > c.Version || (ver == c.Version && sku > c.SKU)
}
