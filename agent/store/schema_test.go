package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

func TestOpenCreatesSchema(t *testing.T) {
	db := openTest(t, Options{})
	err := db.View(func(tx *Tx) error {
		for name, owner := range Buckets() {
			if tx.Bolt().Bucket([]byte(name)) == nil {
				t.Errorf("bucket %s of %s missing", name, owner)
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
	db, err = Open(path, Options{})
	if err == nil {
		db.Close()
	}
	var newer *NewerSchemaError
	if !errors.Is(err, ErrNewerSchema) || !errors.As(err, &newer) || newer.Schema != schemaVersion()+1 {
		t.Errorf("Open = %v, want a NewerSchemaError", err)
	}
	want := fmt.Sprintf("open store %s: this store was written by a newer tokri (schema %d); install that version or restore a backup", path, schemaVersion()+1)
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Open = %q,\nwant it to start %q", err, want)
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

// TestOldSchemaMigrates opens a file a schema-3 agent wrote: it is brought
// to the current schema, every declared bucket made, and its records kept
// (TestOldFileReadsEveryRecordKind reads them).
func TestOldSchemaMigrates(t *testing.T) {
	db := openOldFile(t)
	err := db.View(func(tx *Tx) error {
		if v := getUint(tx.Bolt().Bucket(bucketMeta), metaSchema); v != uint64(schemaVersion()) {
			t.Errorf("schema after open = %d, want %d", v, schemaVersion())
		}
		for name, owner := range Buckets() {
			if tx.Bolt().Bucket([]byte(name)) == nil {
				t.Errorf("bucket %s of %s missing after migration", name, owner)
			}
		}
		if n := countKeys(tx.Bolt().Bucket(bucketInbox)); n != 4 {
			t.Errorf("inbox holds %d after migration, want 4", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDeclareRefusesABucketOfTwoOwners(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a second owner of bucket inbox was accepted")
		}
	}()
	Declare("agent/elsewhere", bucketInbox)
}

// Schema 5 drops sync/withdrawn, which nothing reads: a schema-4 file
// with it opens without it, and one without it opens too.
func TestSchema5DropsWithdrawn(t *testing.T) {
	for _, has := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), FileName)
		db, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		err = db.bolt.Update(func(tx *bbolt.Tx) error {
			if has {
				b, err := tx.CreateBucket([]byte("sync/withdrawn"))
				if err != nil {
					return err
				}
				if err := b.Put([]byte("DAL1"), make([]byte, 8)); err != nil {
					return err
				}
			}
			return putUint(tx.Bucket(bucketMeta), metaSchema, 4)
		})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		var log strings.Builder
		if db, err = Open(path, Options{Log: zerolog.New(&log)}); err != nil {
			t.Fatalf("with sync/withdrawn %v: %v", has, err)
		}
		err = db.bolt.View(func(tx *bbolt.Tx) error {
			if tx.Bucket([]byte("sync/withdrawn")) != nil {
				t.Error("sync/withdrawn still there after migrating to schema 5")
			}
			return nil
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(log.String(), `"from":4,"to":5`) {
			t.Errorf("with sync/withdrawn %v: log %q, want a migration from 4 to 5", has, log.String())
		}
	}
}
