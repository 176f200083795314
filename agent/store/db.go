package store

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/modem/pdu"
	"github.com/tokrihq/tokri/phone"
)

// Options configure a DB. The zero value is usable.
type Options struct {
	// Now is the clock for times the store stamps itself (handled at,
	// created at). Default time.Now.
	Now func() time.Time
	// Location draws the day boundary of the daily send cap (the SIM's
	// day). Default UTC.
	Location *time.Location
	// Log receives debug detail and warnings; numbers are masked.
	Log zerolog.Logger
	// GroupWindow bounds how far apart (by SCTS) parts of one long message
	// may be; a part further from every open group with the same sender
	// and reference starts a new group. Default 24h.
	GroupWindow time.Duration
	// StatusReports asks the network for a delivery report on every
	// message enqueued, as if each Outbound had StatusReport set.
	StatusReports bool
	// Outbox is how the outbox spends the SIM's daily cap.
	Outbox Policy
	// CheckTimeout bounds the consistency check at open. Default
	// DefaultCheckTimeout.
	CheckTimeout time.Duration
	// Backup keeps a copy of the store that passed the check beside it
	// (BackupSuffix): made at open when the last is a day old, and at a
	// clean Close.
	Backup bool
	// Country reads numbers written without a calling code, so a status
	// report to "09800000001" matches a message sent to +919800000001.
	// Default India.
	Country phone.Country
}

// DB is the agent's store. Its methods are safe for concurrent use; bbolt
// runs one write transaction at a time.
type DB struct {
	bolt    *bbolt.DB
	now     func() time.Time
	loc     *time.Location
	log     zerolog.Logger
	window  time.Duration
	srr     bool // Options.StatusReports
	backup  bool // Options.Backup
	policy  Policy
	country phone.Country // Options.Country
	signal  chan struct{}
	queued  chan struct{} // SyncSignal
	group   groupCommit
	// commits counts write transactions committed since Open (Commits).
	commits atomic.Uint64

	mu        sync.Mutex // guards following
	cappedDay string     // day on which NextOutbound last hit the cap, "" if it did not
	press     pressureState
	sending   uint64 // the outbound NextOutbound last handed the sender, 0 if none
}

// Open opens (creating if needed) the store at path and brings its schema
// up to date. A second process gets an error after one second instead of
// waiting for the file lock forever.
func Open(path string, opts Options) (*DB, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.GroupWindow <= 0 {
		opts.GroupWindow = 24 * time.Hour
	}
	warmCodec.Do(warmPDUTables)
	if opts.CheckTimeout <= 0 {
		opts.CheckTimeout = DefaultCheckTimeout
	}
	if err := precheck(path); err != nil {
		return nil, err
	}
	b, err := openChecked(path, &bbolt.Options{
		Timeout:      time.Second,
		FreelistType: bbolt.FreelistMapType,
	}, opts.CheckTimeout)
	if err != nil {
		return nil, err
	}
	db := &DB{
		bolt:    b,
		now:     opts.Now,
		loc:     opts.Location,
		log:     opts.Log.With().Str("component", "store").Logger(),
		window:  opts.GroupWindow,
		srr:     opts.StatusReports,
		policy:  opts.Outbox.withDefaults(),
		country: opts.Country,
		signal:  make(chan struct{}, 1),
		queued:  make(chan struct{}, 1),
	}
	var from, to int
	err = b.Update(func(tx *bbolt.Tx) error {
		var err error
		from, to, err = migrate(tx)
		return err
	})
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if from != to {
		db.log.Info().Int("from", from).Int("to", to).Msg("store schema migrated")
	}
	if err := markPresent(path); err != nil {
		b.Close()
		return nil, fmt.Errorf("open store %s: marker: %w", path, err)
	}
	if opts.Backup {
		db.backup = true
		if err := db.backupIfOld(); err != nil {
			b.Close()
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
	}
	return db, nil
}

// warmCodec guards warmPDUTables.
var warmCodec sync.Once

// warmPDUTables makes the first GSM-7 decode and count happen before any
// concurrent use: github.com/warthog618/sms v0.3.0 builds its character
// tables lazily without a lock, so two first decodes at once race (and can
// crash on a concurrent map write).
func warmPDUTables() {
	// mm-pdu1 (GSM-7 with extension characters), from ModemManager's tests.
	const raw = "07912104442961F4040B916171957291F800001120821105050A6AC8B2BC7C9A83C220F6DB7D2ECB41EDF27C1E3E97411BDE06754FD3D1A0F9BB5D0695F1F4B29B5C2683C6E8B03C3CA697E5F34D6AE303D1D1F2F7DD0D4ABB59A0797D8C0685E7A00028EC26832A960B28EC2683BE6050780EBA97D96C17"
	if bin, err := pdu.ParseHex(raw); err == nil {
		_, _ = pdu.Decode(bin)
	}
	_, _ = pdu.Count("warm [{}] €")
}

// Close closes the file, with Options.Backup after a last backup.
// Transactions in flight finish first.
func (db *DB) Close() error {
	if db.backup {
		if err := db.Backup(); err != nil {
			db.log.Warn().Err(err).Msg("no backup at close")
		}
	}
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// Bolt exposes the underlying database for maintenance (backup, compact).
func (db *DB) Bolt() *bbolt.DB { return db.bolt }

// OutboxSignal is signalled (capacity 1, never blocking) after any commit
// that enqueued an outbound message, so the sender can wake up.
func (db *DB) OutboxSignal() <-chan struct{} { return db.signal }

// SyncSignal is signalled (capacity 1, never blocking) after any commit
// that queued a record for central (see Tx.QueuedForSync), so the uplink
// sends it now instead of at its next interval.
func (db *DB) SyncSignal() <-chan struct{} { return db.queued }

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// Tx is one transaction of the store, handed to Update, View and Handle.
// Other packages (carts, orders) keep their own buckets in the same file
// through Bolt, so their changes commit together with the store's.
type Tx struct {
	db       *DB
	tx       *bbolt.Tx
	inbound  uint64 // the inbound being handled, 0 outside Handle
	enqueued int
	queued   bool     // QueuedForSync was called
	replies  []uint64 // ids enqueued in this transaction in reply to inbound
}

// Bolt is the underlying bbolt transaction. Slices read from it are valid
// only until fn returns.
func (tx *Tx) Bolt() *bbolt.Tx { return tx.tx }

// QueuedForSync says the transaction queued a record for central; once it
// commits, SyncSignal fires. The store keeps no sync records itself, so
// whoever writes one (an order placed or moved) says so.
func (tx *Tx) QueuedForSync() { tx.queued = true }

// Update runs fn in one write transaction; an error from fn rolls back
// everything it did. The transaction may be shared with other writers
// (see commit.go), so fn may run more than once before it commits: all
// its effects must go through tx.
func (db *DB) Update(fn func(tx *Tx) error) error {
	var enqueued int
	var queued bool
	err := db.update(func(btx *bbolt.Tx) error {
		t := &Tx{db: db, tx: btx}
		err := fn(t)
		enqueued, queued = t.enqueued, t.queued
		return err
	})
	if err != nil {
		return err
	}
	if enqueued > 0 {
		signal(db.signal)
	}
	if queued {
		signal(db.queued)
	}
	return nil
}

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(tx *Tx) error) error {
	return db.bolt.View(func(btx *bbolt.Tx) error {
		return fn(&Tx{db: db, tx: btx})
	})
}

// dayKey names the SIM day of t.
func (db *DB) dayKey(t time.Time) []byte {
	return []byte(t.In(db.loc).Format("20060102"))
}
