// Package system builds the running shop from its config: the store, the
// shop, the agent on its modem, the admin socket, sync, the USSD channel,
// the balance check, the day's summary, the disk watch and the clock. It
// is the one place they are wired, so tokri run, the demo, the benches
// and the tests run the same system; they differ only in the options the
// tests need (a clock of their own, short modem timeouts).
package system
