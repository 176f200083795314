// Package serial opens the modem's serial port with github.com/tarm/serial
// and papers over its one trap: with a read timeout, tarm puts the port in
// VMIN=0 mode, so a quiet modem reads as (0, io.EOF). The port returned here
// treats such a read as "nothing yet" and keeps reading until Close, which
// is also what lets Close stop a pending Read within the read timeout.
package serial
