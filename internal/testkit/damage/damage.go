// Package damage breaks bbolt files the way torn writes and failing cards
// do, for the tests of code that must refuse them rather than crash.
package damage

import (
	"encoding/binary"
	"os"
	"testing"
)

// FirstKey makes the first key of the bbolt file at path (the first
// element of its root bucket's first leaf page) say it runs 1.9 GB, far
// out of the file: bbolt, reading that key, faults.
func FirstKey(t testing.TB, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const header = 16 // a page's id, flags, count and overflow
	le := binary.LittleEndian
	ps := int(le.Uint32(b[header+8:]))
	m := b[header:] // the meta with the newer transaction names the root
	if le.Uint64(b[ps+header+48:]) > le.Uint64(m[48:]) {
		m = b[ps+header:]
	}
	page := int(le.Uint64(m[16:])) * ps
	for le.Uint16(b[page+8:]) == 0x01 { // a branch page: follow its first child
		page = int(le.Uint64(b[page+header+8:])) * ps
	}
	le.PutUint32(b[page+header+8:], 0x75000005)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
