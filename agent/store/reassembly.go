package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tokrihq/tokri/modem/pdu"
)

// Parts of a long message wait in bucketGroups until all have arrived,
// so they survive a restart. A group is found through bucketGroupIndex by
// sender, reference and part count; several open groups can share those
// (8-bit references repeat), and a part joins the one whose first SCTS is
// nearest, within Options.GroupWindow, that still lacks it.

// PartialGroup is a long message some of whose parts never arrived.
type PartialGroup struct {
	ID      uint64
	From    string
	RefBits int
	Ref     int
	Total   int
	Have    []int  // part numbers present, ascending
	Text    string // the present parts' text in order
	SCTS    time.Time
	FirstAt time.Time // first part received
	LastAt  time.Time // latest part received
}

func isPart(m pdu.Message) bool {
	c := m.Concat
	return c != nil && c.Total > 1 && c.Seq >= 1 && c.Seq <= c.Total
}

func groupPrefix(from string, c *pdu.Concat) []byte {
	var b [4]byte
	b[0] = byte(c.RefBits)
	binary.BigEndian.PutUint16(b[1:3], uint16(c.Ref))
	b[3] = byte(c.Total)
	return concat([]byte(from), []byte{0}, b[:])
}

func (g *groupRec) has(seq int) (partRec, bool) {
	for _, p := range g.Parts {
		if p.Seq == seq {
			return p, true
		}
	}
	return partRec{}, false
}

func (g *groupRec) firstAt() time.Time {
	var t time.Time
	for _, p := range g.Parts {
		if t.IsZero() || p.ReceivedAt.Before(t) {
			t = p.ReceivedAt
		}
	}
	return t
}

// when is the time a part is placed by: its SCTS, or its arrival when the
// SCTS did not decode.
func when(scts, at time.Time) time.Time {
	if scts.IsZero() {
		return at
	}
	return scts
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func (db *DB) addPart(tx *bbolt.Tx, key, raw []byte, m pdu.Message, at time.Time) (IntakeResult, error) {
	groups, index := tx.Bucket(bucketGroups), tx.Bucket(bucketGroupIndex)
	prefix := groupPrefix(m.Addr, m.Concat)
	part := partRec{Seq: m.Concat.Seq, Raw: raw, Text: m.Text, Encoding: m.Encoding, Binary: m.Binary, SCTS: m.SCTS, ReceivedAt: at, Key: key}
	t := when(m.SCTS, at)

	var (
		best     uint64
		bestRec  groupRec
		bestDist time.Duration
	)
	c := index.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, _ = c.Next() {
		gid := fromU64(k[len(prefix):])
		var g groupRec
		if found, err := get(groups, u64(gid), &g); err != nil || !found {
			return IntakeResult{}, fmt.Errorf("read group %d: found=%v: %w", gid, found, err)
		}
		d := absDur(t.Sub(when(g.SCTS, g.firstAt())))
		if d > db.window {
			continue
		}
		if p, ok := g.has(part.Seq); ok {
			if p.Text == part.Text && bytes.Equal(p.Binary, part.Binary) {
				// The same part again under another SCTS (an SMSC
				// redelivery): nothing new.
				return IntakeResult{Outcome: OutcomePart, ID: gid, Duplicate: true}, nil
			}
			continue
		}
		if best == 0 || d < bestDist {
			best, bestRec, bestDist = gid, g, d
		}
	}
	if best == 0 {
		gid, err := groups.NextSequence()
		if err != nil {
			return IntakeResult{}, fmt.Errorf("next group id: %w", err)
		}
		if err := index.Put(concat(prefix, u64(gid)), nil); err != nil {
			return IntakeResult{}, fmt.Errorf("index group %d: %w", gid, err)
		}
		best = gid
		bestRec = groupRec{From: m.Addr, RefBits: m.Concat.RefBits, Ref: m.Concat.Ref, Total: m.Concat.Total, SCTS: m.SCTS}
	}
	g := bestRec
	g.Parts = append(g.Parts, part)
	slices.SortFunc(g.Parts, func(a, b partRec) int { return a.Seq - b.Seq })
	if g.SCTS.IsZero() || (!m.SCTS.IsZero() && m.SCTS.Before(g.SCTS)) {
		g.SCTS = m.SCTS
	}
	if len(g.Parts) < g.Total {
		if err := put(groups, u64(best), g); err != nil {
			return IntakeResult{}, err
		}
		return IntakeResult{Outcome: OutcomePart, ID: best}, remember(tx, key, OutcomePart, best, at)
	}
	id, err := db.completeGroup(tx, best, g, prefix, at, true)
	return IntakeResult{Outcome: OutcomeInbound, ID: id}, err
}

// completeGroup turns a group into one Ready inbound and removes it. With
// whole set, the text comes from pdu.Join; otherwise (a group the operator
// released) the present parts are joined as they are.
func (db *DB) completeGroup(tx *bbolt.Tx, gid uint64, g groupRec, prefix []byte, at time.Time, whole bool) (uint64, error) {
	rec := inboundRec{Channel: ChannelSMS, From: g.From, Parts: len(g.Parts), SCTS: g.SCTS, ReceivedAt: at}
	keys := make([][]byte, 0, len(g.Parts))
	raws := make([][]byte, 0, len(g.Parts))
	for _, p := range g.Parts {
		keys = append(keys, p.Key)
		raws = append(raws, p.Raw)
	}
	joined := false
	if whole {
		m, err := join(raws)
		if err == nil {
			rec.Text, rec.Encoding, rec.Binary, joined = m.Text, m.Encoding, m.Binary, true
		} else {
			db.log.Warn().Uint64("group", gid).Str("error", err.Error()).Msg("join failed; using the parts' own text")
		}
	}
	if !joined {
		rec.Text, rec.Encoding, rec.Binary = g.text(), g.Parts[0].Encoding, g.binary()
		rec.Missing = max(g.Total-len(g.Parts), 0)
	}
	id, err := db.addInbound(tx, rec, keys)
	if err != nil {
		return 0, err
	}
	if err := tx.Bucket(bucketGroups).Delete(u64(gid)); err != nil {
		return 0, fmt.Errorf("delete group %d: %w", gid, err)
	}
	if err := tx.Bucket(bucketGroupIndex).Delete(concat(prefix, u64(gid))); err != nil {
		return 0, fmt.Errorf("unindex group %d: %w", gid, err)
	}
	return id, nil
}

func (g *groupRec) text() string {
	var sb strings.Builder
	for _, p := range g.Parts {
		sb.WriteString(p.Text)
	}
	return sb.String()
}

func (g *groupRec) binary() []byte {
	var out []byte
	for _, p := range g.Parts {
		out = append(out, p.Binary...)
	}
	return out
}

// IncompleteGroups lists long messages whose first part arrived before
// now-olderThan and which still lack parts, oldest first.
func (db *DB) IncompleteGroups(olderThan time.Duration, now time.Time) ([]PartialGroup, error) {
	cutoff := now.Add(-olderThan)
	return list(db, bucketGroups, "incomplete groups", func(id uint64, g *groupRec) (PartialGroup, bool) {
		first := g.firstAt()
		if first.After(cutoff) {
			return PartialGroup{}, false
		}
		pg := PartialGroup{ID: id, From: g.From, RefBits: g.RefBits, Ref: g.Ref, Total: g.Total,
			Text: g.text(), SCTS: g.SCTS, FirstAt: first}
		for _, p := range g.Parts {
			pg.Have = append(pg.Have, p.Seq)
			if p.ReceivedAt.After(pg.LastAt) {
				pg.LastAt = p.ReceivedAt
			}
		}
		return pg, true
	})
}

// ReleaseGroup gives up waiting for the missing parts of a group: what
// arrived becomes one Ready inbound, so the shopper gets an answer. Parts
// that arrive later start a new group.
func (db *DB) ReleaseGroup(gid uint64) (inboundID uint64, err error) {
	err = db.update(func(tx *bbolt.Tx) error {
		var g groupRec
		found, err := get(tx.Bucket(bucketGroups), u64(gid), &g)
		if err != nil {
			return err
		}
		if !found || len(g.Parts) == 0 {
			return clean(ErrNotFound)
		}
		c := pdu.Concat{RefBits: g.RefBits, Ref: g.Ref, Total: g.Total}
		inboundID, err = db.completeGroup(tx, gid, g, groupPrefix(g.From, &c), db.now().UTC(), false)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("release group %d: %w", gid, err)
	}
	return inboundID, nil
}
