package uplink

import (
	"sync"
	"time"
)

// persistEvery is how long a run of idle rounds may keep its bookkeeping
// (bytes used, last attempt and success) in memory before a round writes
// it: an idle round otherwise writes nothing, which an SD card is spared
// every few minutes all day. A crash loses at most this much of the day's
// byte count, a few kilobytes.
const persistEvery = time.Hour

// unsaved is the bookkeeping of rounds not yet written to the store.
type unsaved struct {
	mu                  sync.Mutex
	day                 string // budget day of sent and received
	sent, received      int64
	lastAttempt, lastOK time.Time
	savedAt             time.Time // when the state was last written; zero before any
}

// add counts bytes of day in memory.
func (u *unsaved) add(day string, sent, received int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.day != day {
		u.day, u.sent, u.received = day, 0, 0
	}
	u.sent += sent
	u.received += received
}

// bytesOn is the unsaved counts of day.
func (u *unsaved) bytesOn(day string) (sent, received int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.day != day {
		return 0, 0
	}
	return u.sent, u.received
}

// flush adds the unsaved counts to s and forgets them; the caller writes s.
func (u *unsaved) flush(s *state, now time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.day != "" {
		if s.Day != u.day {
			s.Day, s.BytesSent, s.BytesReceived = u.day, 0, 0
		}
		s.BytesSent += u.sent
		s.BytesReceived += u.received
	}
	u.day, u.sent, u.received = "", 0, 0
	u.lastAttempt, u.lastOK, u.savedAt = time.Time{}, time.Time{}, now
}

// idle notes a round that changed nothing and reports whether it may
// skip writing: nothing failed before or now, and the state was written
// within persistEvery.
func (u *unsaved) idle(now time.Time, r Round, err error, lastError string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	quiet := err == nil && lastError == "" && r.Pushed == 0 && r.Rejected == 0 && r.Items == 0 &&
		!u.savedAt.IsZero() && now.Sub(u.savedAt) < persistEvery && !now.Before(u.savedAt)
	if quiet {
		u.lastAttempt, u.lastOK = now, now
	}
	return quiet
}

// overlay puts the unsaved times on st.
func (u *unsaved) overlay(st *Status) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.lastAttempt.After(st.LastAttempt) {
		st.LastAttempt = u.lastAttempt
	}
	if u.lastOK.After(st.LastSuccess) {
		st.LastSuccess = u.lastOK
	}
}
