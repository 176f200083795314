// Package attest fakes a modem at the byte level for tests of code that
// talks AT: a scripted io.ReadWriteCloser with knobs for echo, write
// errors, fragmented reads and closing mid-command; and a replayer for
// transcript files (testdata/*.at). Tests take their clock from
// internal/testkit/testtime or run in a testing/synctest bubble, where
// synctest.Wait tells when the host has written all it will.
package attest
