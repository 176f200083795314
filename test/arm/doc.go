// Package arm proves the ARMv6 build (a Pi Zero's) works: the real agent
// binary, cross-compiled and run under qemu-user, takes an order by SMS
// from the virtual modem, is killed with SIGKILL, restarts and loses
// nothing. It also measures cold start (exec to "modem ready") under
// qemu against the native build.
package arm
