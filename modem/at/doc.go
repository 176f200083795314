// Package at talks the AT command protocol to a modem over any
// io.ReadWriter: one goroutine owns the line, commands go out one at a
// time with a timeout, and unsolicited result codes (URCs) are recognised
// by their prefix wherever they land - even between a command's echo and
// its OK - and routed to a channel instead of into the command's response.
//
// The quirks it tolerates come from real modems (see testdata/*.at): echo
// on or off and echo ending CR CR LF, a half-typed command in front of the
// echo, NUL and garbage bytes, bare CR line endings, non-standard final
// results such as Huawei's "COMMAND NOT SUPPORT", a +CUSD whose quoted
// string spans several lines, URCs before the SMS "> " prompt (ZTE), and
// the PDU echoed back after the prompt.
package at
