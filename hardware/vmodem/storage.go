package vmodem

import "time"

// Message status values of 3GPP TS 27.005 (<stat> in PDU mode).
const (
	statRecUnread = 0
	statRecRead   = 1
	statStoUnsent = 2
	statStoSent   = 3
	statAll       = 4
)

var statText = []string{"REC UNREAD", "REC READ", "STO UNSENT", "STO SENT", "ALL"}

// kind of a stored or delivered PDU.
const (
	kindDeliver = iota
	kindReport
	kindSubmit
)

// record is one stored message as the SIM holds it.
type record struct {
	stat   int
	kind   int
	pdu    string // hex exactly as +CMGR prints it (SMSC address + TPDU)
	length int    // TPDU octets (<length>)
	from   string // originator, for masking in logs and text mode
	stored time.Time
}

// storage is the SIM's fixed set of SMS slots. It survives reboots.
type storage struct {
	slots []*record
}

func newStorage(n int) *storage { return &storage{slots: make([]*record, n)} }

func (s *storage) total() int { return len(s.slots) }

func (s *storage) used() int {
	n := 0
	for _, r := range s.slots {
		if r != nil {
			n++
		}
	}
	return n
}

// put stores r in the lowest free slot; ok is false when full.
func (s *storage) put(r *record) (int, bool) {
	for i, x := range s.slots {
		if x == nil {
			s.slots[i] = r
			return i, true
		}
	}
	return 0, false
}

// get returns the record at slot i (nil if empty); ok is false if out of range.
func (s *storage) get(i int) (*record, bool) {
	if i < 0 || i >= len(s.slots) {
		return nil, false
	}
	return s.slots[i], true
}

// del empties slot i; ok is false if out of range.
func (s *storage) del(i int) bool {
	if i < 0 || i >= len(s.slots) {
		return false
	}
	s.slots[i] = nil
	return true
}

// delFlag implements +CMGD's <delflag> 1..4 and returns how many were removed.
func (s *storage) delFlag(flag int) int {
	n := 0
	for i, r := range s.slots {
		if r == nil {
			continue
		}
		drop := false
		switch flag {
		case 1:
			drop = r.stat == statRecRead
		case 2:
			drop = r.stat == statRecRead || r.stat == statStoSent
		case 3:
			drop = r.stat != statRecUnread
		case 4:
			drop = true
		}
		if drop {
			s.slots[i] = nil
			n++
		}
	}
	return n
}

// list returns the slots whose status matches stat (statAll: every one), in index order.
func (s *storage) list(stat int) []int {
	var out []int
	for i, r := range s.slots {
		if r != nil && (stat == statAll || r.stat == stat) {
			out = append(out, i)
		}
	}
	return out
}
