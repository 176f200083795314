package shoppers_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/agent/shoppers"
	"github.com/tokrihq/tokri/agent/store"
	"github.com/tokrihq/tokri/internal/testkit"
	"github.com/tokrihq/tokri/protocol"
)

var t0 = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

func openDB(t *testing.T) *store.DB {
	t.Helper()
	return testkit.OpenStore(t, store.Options{})
}

func TestFreshFile(t *testing.T) {
	db := openDB(t)
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		p, found, err := shoppers.Get(tx, "+919790197346")
		if found || err != nil || p != (shoppers.Profile{}) {
			t.Errorf("Get = %+v, %v, %v", p, found, err)
		}
		list, err := shoppers.List(tx)
		if len(list) != 0 || err != nil {
			t.Errorf("List = %v, %v", list, err)
		}
		return nil
	})
}

func TestProfileLifecycle(t *testing.T) {
	db := openDB(t)
	const a, b = "+919790197346", "+918800112233"
	ist := time.FixedZone("IST", 19800)
	testkit.Update(t, db, func(tx *bbolt.Tx) error {
		seen := shoppers.Profile{Number: a, Lang: protocol.Hindi, Address: "12 Gandhi Nagar", FirstSeen: t0.In(ist), LastSeen: t0.Add(time.Hour).In(ist)}
		return errors.Join(
			shoppers.Put(tx, seen),
			shoppers.SetLastOrder(tx, a, "ACD34"),
			shoppers.SetOptOut(tx, b, true), // never seen: gets a profile
		)
	})
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		list, err := shoppers.List(tx)
		if err != nil {
			return err
		}
		want := []shoppers.Profile{
			{Number: b, OptedOut: true},
			{Number: a, Lang: protocol.Hindi, Address: "12 Gandhi Nagar", LastOrder: "ACD34", FirstSeen: t0, LastSeen: t0.Add(time.Hour)},
		}
		if diff := cmp.Diff(want, list); diff != "" {
			t.Errorf("List (-want +got):\n%s", diff)
		}
		if got := list[0].LangOr(protocol.English); got != protocol.English {
			t.Errorf("LangOr of a profile with no language = %q", got)
		}
		if got := list[1].LangOr(protocol.English); got != protocol.Hindi {
			t.Errorf("LangOr = %q", got)
		}
		if list[1].FirstSeen.Location() != time.UTC {
			t.Error("times not in UTC")
		}
		return nil
	})
	testkit.Update(t, db, func(tx *bbolt.Tx) error { return shoppers.SetOptOut(tx, b, false) })
	testkit.View(t, db, func(tx *bbolt.Tx) error {
		p, found, err := shoppers.Get(tx, b)
		if !found || err != nil || p.OptedOut {
			t.Errorf("after START: %+v, %v, %v", p, found, err)
		}
		return nil
	})
}

func TestRefused(t *testing.T) {
	db := openDB(t)
	tests := []struct {
		name string
		fn   func(tx *bbolt.Tx) error
	}{
		{"empty number", func(tx *bbolt.Tx) error { return shoppers.Put(tx, shoppers.Profile{}) }},
		{"unknown language", func(tx *bbolt.Tx) error {
			return shoppers.Put(tx, shoppers.Profile{Number: "+919790197346", Lang: "ta"})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := db.Update(func(tx *store.Tx) error { return tc.fn(tx.Bolt()) })
			if !errors.Is(err, shoppers.ErrInvalid) {
				t.Errorf("got %v, want ErrInvalid", err)
			}
		})
	}
}
