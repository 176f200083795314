// Package vmodem is a virtual GSM modem: a real peer for the agent in tests
// and demos.
//
// It creates a pseudo-terminal, points a symlink at the slave side and speaks
// the AT command set (3GPP TS 27.005/27.007 plus vendor quirks) on the master
// side, so the agent's actual serial code path runs against it. It keeps SMS
// storage like a SIM, builds SMS-DELIVER and SMS-STATUS-REPORT PDUs with
// github.com/warthog618/sms and decodes what the agent submits with the same
// library, independently of the project's own modem packages.
//
// A loopback HTTP JSON control API (Handler, documented in docs/vmodem.md and
// wrapped by Client) lets a test act as phones and as the network: deliver
// SMS, place missed calls, script USSD menus, read what the agent sent, and
// inject faults (error results, silence, garbage bytes, reboots, full
// storage, lost network, latency, a vanished USB device).
//
// Profiles imitate real models ("sim800", "huawei-e1752", "zte-k3565z",
// "generic"): default echo, boot lines, header shapes, storage indexing and
// unsolicited lines arriving in the middle of responses.
package vmodem
