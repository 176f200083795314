package boltcheck

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"go.etcd.io/bbolt"
)

// bbolt's consistency check runs in a goroutine of its own, where a
// pointer that leads out of the file (a damaged element's offset, a page
// id past the end, a freelist count too large for its page) is a fatal
// memory fault, not a panic anyone can recover: the agent would die with
// a stack trace instead of saying how to restore. checkPages first follows
// every pointer the check will follow, reading the file with bounds
// checked, so the check runs only on a file whose pointers stay inside it.
//
// The layout read here is bbolt's on-disk format: pages of a header (id,
// flags, count, overflow) and elements; leaf elements carry a key and a
// value, branch elements a key and a child page; a bucket's value is its
// root page and sequence, followed by the bucket itself when it is inline.

const (
	pageHeaderSize = 16
	elementSize    = 16 // branch and leaf elements alike
	branchPage     = 0x01
	leafPage       = 0x02
	freelistPage   = 0x10
	bucketValue    = 0x01 // a leaf element whose value is a bucket
	noFreelist     = ^uint64(0)
	bucketHeader   = 16 // root page id and sequence
)

var le = binary.LittleEndian

// pageWalk reads the pages of one store file once each.
type pageWalk struct {
	f     io.ReaderAt
	ps    uint64 // page size
	pages uint64 // pages in use, from the meta
	seen  map[uint64]bool
	spare [][]byte // page buffers walked and free again
}

// checkPages walks the pages reachable from tx's meta: its root bucket's
// tree, every bucket's tree and the freelist.
func checkPages(tx *bbolt.Tx) error {
	f, err := os.Open(tx.DB().Path())
	if err != nil {
		return err
	}
	defer f.Close()
	w := &pageWalk{f: f, ps: uint64(tx.DB().Info().PageSize), seen: map[uint64]bool{}}
	root, freelist, err := w.meta(uint64(tx.ID()))
	if err != nil {
		return err
	}
	if err := w.node(root); err != nil {
		return err
	}
	if freelist != noFreelist {
		return w.freelist(freelist)
	}
	return nil
}

// meta reads the meta page bbolt chose (the one of tx's id) for the
// root page, freelist page and pages in use.
func (w *pageWalk) meta(txid uint64) (root, freelist uint64, err error) {
	m := make([]byte, pageHeaderSize+64)
	for i := range uint64(2) {
		if _, err := w.f.ReadAt(m, int64(i*w.ps)); err != nil {
			return 0, 0, fmt.Errorf("meta page %d: %w", i, err)
		}
		b := m[pageHeaderSize:]
		if le.Uint64(b[48:]) == txid {
			w.pages = le.Uint64(b[40:])
			return le.Uint64(b[16:]), le.Uint64(b[32:]), nil
		}
	}
	return 0, 0, fmt.Errorf("no meta page has transaction %d", txid)
}

// page reads page id and its overflow pages, refusing one out of the file
// or reached a second time. Its buffer comes from spare, and goes back
// there through done once the page has been walked.
func (w *pageWalk) page(id uint64) ([]byte, error) {
	if id < 2 || id >= w.pages {
		return nil, fmt.Errorf("page %d: not in the file's %d pages", id, w.pages)
	}
	p := w.buffer(w.ps)
	if _, err := w.f.ReadAt(p, int64(id*w.ps)); err != nil {
		return nil, fmt.Errorf("page %d: %w", id, err)
	}
	n := 1 + uint64(le.Uint32(p[12:]))
	if n > w.pages-id {
		return nil, fmt.Errorf("page %d: its %d overflow pages run past the file's end", id, n-1)
	}
	for i := id; i < id+n; i++ {
		if w.seen[i] {
			return nil, fmt.Errorf("page %d: reached twice", i)
		}
		w.seen[i] = true
	}
	if n > 1 {
		w.done(p)
		p = make([]byte, n*w.ps)
		if _, err := w.f.ReadAt(p, int64(id*w.ps)); err != nil {
			return nil, fmt.Errorf("page %d: %w", id, err)
		}
	}
	return p, nil
}

// buffer is a spare page buffer, or a new one.
func (w *pageWalk) buffer(size uint64) []byte {
	if n := len(w.spare); n > 0 {
		p := w.spare[n-1]
		w.spare = w.spare[:n-1]
		return p
	}
	return make([]byte, size)
}

// done gives back a page buffer; only one page long are kept.
func (w *pageWalk) done(p []byte) {
	if uint64(len(p)) == w.ps {
		w.spare = append(w.spare, p)
	}
}

// node walks the tree below page id.
func (w *pageWalk) node(id uint64) error {
	p, err := w.page(id)
	if err != nil {
		return err
	}
	defer w.done(p)
	switch flags := le.Uint16(p[8:]); flags {
	case branchPage, leafPage:
		return w.elements(p, id, false)
	default:
		return fmt.Errorf("page %d: flags %#x where a branch or leaf page belongs", id, flags)
	}
}

// elements checks that each element's key (and a leaf's value) lies in
// page p, then walks each child page and each bucket. id is p's page, or
// the page that holds p when p is an inline bucket (inline).
func (w *pageWalk) elements(p []byte, id uint64, inline bool) error {
	what := func() string {
		if inline {
			return fmt.Sprintf("page %d's inline bucket", id)
		}
		return fmt.Sprintf("page %d", id)
	}
	branch := le.Uint16(p[8:]) == branchPage
	count := uint64(le.Uint16(p[10:]))
	if pageHeaderSize+count*elementSize > uint64(len(p)) {
		return fmt.Errorf("%s: %d elements do not fit in it", what(), count)
	}
	for i := range count {
		at := pageHeaderSize + i*elementSize
		e := p[at : at+elementSize]
		if branch {
			pos, ksize := uint64(le.Uint32(e)), uint64(le.Uint32(e[4:]))
			if at+pos+ksize > uint64(len(p)) {
				return fmt.Errorf("%s: element %d runs past its end", what(), i)
			}
			if err := w.node(le.Uint64(e[8:])); err != nil {
				return err
			}
			continue
		}
		flags, pos := le.Uint32(e), uint64(le.Uint32(e[4:]))
		ksize, vsize := uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		start := at + pos + ksize
		if start+vsize > uint64(len(p)) {
			return fmt.Errorf("%s: element %d runs past its end", what(), i)
		}
		if flags&bucketValue != 0 {
			if err := w.bucket(p[start:start+vsize], id); err != nil {
				return err
			}
		}
	}
	return nil
}

// bucket walks the bucket whose value is v, held in page id: its tree,
// or the leaf page inline after its header.
func (w *pageWalk) bucket(v []byte, id uint64) error {
	if len(v) < bucketHeader {
		return fmt.Errorf("page %d: a bucket of %d bytes", id, len(v))
	}
	if root := le.Uint64(v); root != 0 {
		return w.node(root)
	}
	inline := v[bucketHeader:]
	if len(inline) < pageHeaderSize || le.Uint16(inline[8:]) != leafPage {
		return fmt.Errorf("page %d: an inline bucket that is not a leaf page", id)
	}
	return w.elements(inline, id, true)
}

// freelist checks that the freelist's ids fit in its page.
func (w *pageWalk) freelist(id uint64) error {
	p, err := w.page(id)
	if err != nil {
		return err
	}
	if flags := le.Uint16(p[8:]); flags != freelistPage {
		return fmt.Errorf("page %d: flags %#x where the freelist belongs", id, flags)
	}
	first, count := uint64(0), uint64(le.Uint16(p[10:]))
	if count == 0xFFFF { // the count is too large for the header: it is the first id
		first, count = 1, le.Uint64(p[pageHeaderSize:])
	}
	if count > uint64(len(p))/8 || pageHeaderSize+(first+count)*8 > uint64(len(p)) {
		return fmt.Errorf("page %d: a freelist of %d ids does not fit in it", id, count)
	}
	return nil
}
