package store

import "go.etcd.io/bbolt"

// Used is the bytes of the store file that hold data: the pages up to
// bbolt's high-water mark less those free for reuse. The file grows only
// when Used reaches its size, so Used after retention is what a store
// settles at; compaction shrinks the file down to about Used.
func (db *DB) Used() (int64, error) {
	var size int64
	if err := db.bolt.View(func(tx *bbolt.Tx) error { size = tx.Size(); return nil }); err != nil {
		return 0, err
	}
	st := db.bolt.Stats()
	return size - int64(st.FreePageN+st.PendingPageN)*int64(db.bolt.Info().PageSize), nil
}

// Commits is how many write transactions committed since Open. Each costs
// the SD card two fdatasyncs (bbolt syncs the data pages, then the meta
// page), so it is the store's unit of wear.
func (db *DB) Commits() uint64 { return db.commits.Load() }
