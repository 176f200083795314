package uplink

import (
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// TCP states in tcp_info (linux/tcp_states.h).
const (
	tcpEstablished = 1
	tcpCloseWait   = 8
)

// kernelSegments is the segments c has sent and received, as the kernel
// counts them (tcp_info's segs_out and segs_in: data, handshake, ACKs and
// retransmissions alike). When closing, it adds those the close is still
// to cost: from an open connection a FIN, the peer's FIN with its ACK,
// and the last ACK; after the peer's FIN, ours and its ACK. ok is false
// when c is not a TCP socket.
func kernelSegments(c net.Conn, closing bool) (s segs, ok bool) {
	sc, isSock := c.(syscall.Conn)
	if !isSock {
		return segs{}, false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return segs{}, false
	}
	var info *unix.TCPInfo
	cerr := raw.Control(func(fd uintptr) {
		info, err = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	})
	if cerr != nil || err != nil {
		return segs{}, false
	}
	s = segs{int64(info.Segs_out), int64(info.Segs_in)}
	if closing {
		switch info.State {
		case tcpEstablished:
			s.out, s.in = s.out+2, s.in+1
		case tcpCloseWait:
			s.out, s.in = s.out+1, s.in+1
		}
	}
	return s, true
}
