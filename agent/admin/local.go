package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/rs/zerolog"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/tokrihq/tokri/agent/catalog"
	"github.com/tokrihq/tokri/agent/orders"
	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
)

// Backend is what the CLI and the console need: the agent over its
// socket (*Client) or the file itself while no agent runs.
type Backend interface {
	Orders(ctx context.Context, f orders.Filter) ([]orders.Order, error)
	Order(ctx context.Context, id string) (orders.Order, error)
	Act(ctx context.Context, id string, a Action, reason string) (orders.Order, error)
	Preview(ctx context.Context, id string, a Action, reason string) (Preview, error)
	Watch(ctx context.Context, since int, wait time.Duration) (Change, error)
	SetPaused(ctx context.Context, paused bool) (ShopState, error)
	Conversation(ctx context.Context, number string, limit int) ([]store.Message, error)
	FailedSends(ctx context.Context) ([]FailedSend, error)
	Retry(ctx context.Context, id uint64) (Resent, error)
	Unreadable(ctx context.Context) ([]Unreadable, error)
	DismissUnreadable(ctx context.Context, id uint64) (Dismissed, error)
	Today(ctx context.Context) (Today, error)
	SetActive(ctx context.Context, sku string, active bool) (catalog.Item, error)
	ImportCatalog(ctx context.Context, csv io.Reader) (catalog.ImportResult, error)
	// ImportProgress is how far the running (or last) import got.
	ImportProgress(ctx context.Context) (ImportProgress, error)
	ExportCatalog(ctx context.Context, w io.Writer) error
	Items(ctx context.Context) ([]catalog.Item, error)
	FindItems(ctx context.Context, query string) ([]catalog.Item, error)
	SetStock(ctx context.Context, sku string, n int) (catalog.Item, error)
	SetPrice(ctx context.Context, sku string, paise int64) (catalog.Item, error)
	Shoppers(ctx context.Context) ([]shoppers.Profile, error)
	SetOptOut(ctx context.Context, number string, out bool) (shoppers.Profile, error)
	Status(ctx context.Context) (Status, error)
	SyncNow(ctx context.Context) (SyncRound, error)
}

var (
	_ Backend = (*Client)(nil)
	_ Backend = (*local)(nil)
)

// local runs the service on the bbolt file, for when no agent runs.
type local struct {
	svc *service
}

func (l *local) Orders(_ context.Context, f orders.Filter) ([]orders.Order, error) {
	return l.svc.orders(f)
}

func (l *local) Order(_ context.Context, id string) (orders.Order, error) { return l.svc.order(id) }

func (l *local) Act(_ context.Context, id string, a Action, reason string) (orders.Order, error) {
	return l.svc.act(id, a, reason)
}

func (l *local) Preview(_ context.Context, id string, a Action, reason string) (Preview, error) {
	return l.svc.preview(id, a, reason)
}

// Watch does not wait on the file: a caller holding it would keep the
// agent from starting.
func (l *local) Watch(ctx context.Context, since int, _ time.Duration) (Change, error) {
	return l.svc.watch(ctx, since, 0)
}

func (l *local) SetPaused(_ context.Context, paused bool) (ShopState, error) {
	return l.svc.setPaused(paused)
}

func (l *local) Conversation(_ context.Context, number string, limit int) ([]store.Message, error) {
	return l.svc.conversation(number, limit)
}

func (l *local) FailedSends(context.Context) ([]FailedSend, error) { return l.svc.failed() }

func (l *local) Retry(_ context.Context, id uint64) (Resent, error) {
	return l.svc.resend(strconv.FormatUint(id, 10))
}

func (l *local) Unreadable(context.Context) ([]Unreadable, error) { return l.svc.unreadable() }

func (l *local) DismissUnreadable(_ context.Context, id uint64) (Dismissed, error) {
	return l.svc.dismissUnreadable(strconv.FormatUint(id, 10))
}

func (l *local) Today(context.Context) (Today, error) { return l.svc.today() }

func (l *local) SetActive(_ context.Context, sku string, active bool) (catalog.Item, error) {
	return l.svc.setActive(sku, active)
}

func (l *local) ImportCatalog(ctx context.Context, csv io.Reader) (catalog.ImportResult, error) {
	return l.svc.importCSV(ctx, csv)
}

func (l *local) ImportProgress(context.Context) (ImportProgress, error) {
	return l.svc.imports.get(), nil
}

func (l *local) ExportCatalog(_ context.Context, w io.Writer) error { return l.svc.exportCSV(w) }

func (l *local) Items(context.Context) ([]catalog.Item, error) { return l.svc.items() }

func (l *local) FindItems(_ context.Context, q string) ([]catalog.Item, error) {
	return l.svc.find(nil, q)
}

func (l *local) SetStock(_ context.Context, sku string, n int) (catalog.Item, error) {
	return l.svc.setStock(sku, n)
}

func (l *local) SetPrice(_ context.Context, sku string, paise int64) (catalog.Item, error) {
	return l.svc.setPrice(sku, paise)
}

func (l *local) Shoppers(context.Context) ([]shoppers.Profile, error) { return l.svc.shoppers() }

func (l *local) SetOptOut(_ context.Context, number string, out bool) (shoppers.Profile, error) {
	return l.svc.setOptOut(number, out)
}

func (l *local) Status(context.Context) (Status, error) { return l.svc.status() }

// SyncNow needs the agent's sync client; Open(AgentOnly) never hands
// out a local backend, so this only answers a caller that asked wrongly.
func (l *local) SyncNow(context.Context) (SyncRound, error) {
	return SyncRound{}, fmt.Errorf("%w: a sync round needs the running agent", ErrNoAgent)
}

// Env is where the operator's tools (the CLI, the console) find the shop.
type Env struct {
	Data string // the resolved data directory
	Log  zerolog.Logger
	Now  func() time.Time
	// Loc is the zone times are shown in; default time.Local.
	Loc *time.Location
}

// Reach says how a command may reach the shop.
type Reach int

const (
	AgentOnly  Reach = iota // changes the agent must make (they send SMS)
	FileOK                  // may open an existing file while no agent runs
	FileOrMake              // may also create the file (seeding a catalog before the first run)
)

// Open returns the running agent if one answers on the socket, else the
// file if r allows it (direct is then true). close releases whichever it
// returned.
func (env Env) Open(r Reach) (b Backend, direct bool, close func(), err error) {
	if env.Data == "" {
		return nil, false, nil, errors.New("no data directory: set agent.data in the config or pass --data")
	}
	sock := filepath.Join(env.Data, SocketName)
	err = probe(sock)
	if err == nil {
		c := Dial(sock)
		return c, false, func() { c.Close() }, nil
	}
	if !isNoAgent(err) {
		return nil, false, nil, fmt.Errorf("reach the agent on %s: %w", sock, err)
	}
	if r == AgentOnly {
		return nil, false, nil, fmt.Errorf("%w (nothing answers on %s): start it with \"tokri run\" first", ErrNoAgent, sock)
	}
	db, err := env.openFile(r == FileOrMake)
	if err != nil {
		return nil, false, nil, err
	}
	loc := env.Loc
	if loc == nil {
		loc = time.Local
	}
	now := env.Now
	if now == nil {
		now = time.Now
	}
	svc := &service{db: db, now: now, log: env.Log.With().Str("component", "admin").Logger(), loc: loc}
	return &local{svc: svc}, true, func() { db.Close() }, nil
}

// Connect returns the running agent if one answers on the socket, else,
// if allowFile, the store file itself (live is then false). The file is held
// until close is called, and while it is held no agent can start: a
// caller that stays (the console) connects anew for each look at the file.
func (env Env) Connect(allowFile bool) (b Backend, live bool, close func(), err error) {
	r := AgentOnly
	if allowFile {
		r = FileOK
	}
	b, direct, close, err := env.Open(r)
	return b, !direct, close, err
}

// openFile opens <data>/tokri.db. store.Open gives up on bbolt's file
// lock after a second, which here means an agent holds the file but its
// socket did not answer.
func (env Env) openFile(create bool) (*store.DB, error) {
	if fi, err := os.Stat(env.Data); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("data directory %s does not exist (is --data right?)", env.Data)
	}
	path := filepath.Join(env.Data, DBName)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) && !create {
		return nil, fmt.Errorf("the agent is not running and there is no store at %s yet (is --data right?)", path)
	}
	db, err := store.Open(path, store.Options{Now: env.Now, Log: env.Log})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s is locked by another process", ErrNoAnswer, path)
	}
	if err != nil {
		return nil, err
	}
	return db, nil
}
