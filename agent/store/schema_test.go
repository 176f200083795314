package store

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"
	berrors "go.etcd.io/bbolt/errors"
)

func TestOpenCreatesSchema(t *testing.T) {
	db := openTest(t, Options{})
	err := db.View(func(tx *Tx) error {
		for _, name := range allBuckets {
			if tx.Bolt().Bucket(name) == nil {
				t.Errorf("bucket %s missing", name)
			}
		}
		if v := getUint(tx.Bolt().Bucket(bucketMeta), metaSchema); v != uint64(schemaVersion()) {
			t.Errorf("schema version %d, want %d", v, schemaVersion())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range migrations {
		if m.version != i+1 || m.why == "" {
			t.Errorf("migration %d = {%d %q}: versions must run 1, 2, ... and say why", i, m.version, m.why)
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokri.db")
	db, err := Open(path, Options{Log: zerolog.New(zerolog.NewTestWriter(t))})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *Tx) error {
		return putUint(tx.Bolt().Bucket(bucketMeta), metaSchema, uint64(schemaVersion()+1))
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db, err := Open(path, Options{}); !errors.Is(err, ErrNewerSchema) {
		if err == nil {
			db.Close()
		}
		t.Errorf("Open = %v, want ErrNewerSchema", err)
	}
	checkFile(t, path)
}

func TestOpenLockedFileFails(t *testing.T) {
	db := openTest(t, Options{})
	second, err := Open(db.path, Options{})
	if err == nil {
		second.Close()
		t.Fatal("a second Open of a file in use succeeded")
	}
	if !errors.Is(err, berrors.ErrTimeout) {
		t.Errorf("second Open = %v, want a timeout", err)
	}
}
