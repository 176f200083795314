// Package doctor checks, one line each, what a store needs to take orders
// (config, disk, modem port, modem, SIM, network, clock, sync, admin
// socket) and says how to fix what fails, in words an operator on a Pi can
// act on. It reads; it changes nothing.
package doctor
