// Package power power-cycles the modem through whatever the installation
// has: a GPIO line behind a script, a USB hub port switched with uhubctl, a
// relay. The modem driver only needs something with PowerCycle(ctx) error;
// this package provides the operator-configured command and a no-op.
package power
