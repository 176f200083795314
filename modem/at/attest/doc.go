// Package attest fakes a modem at the byte level for tests of code that
// talks AT: a scripted io.ReadWriteCloser with knobs for echo, write
// errors, fragmented reads and closing mid-command; a replayer for
// transcript files (testdata/*.at); and a fake clock, so timeouts can be
// tested without waiting for them.
package attest
