package central

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
)

// link is the agent's network to the central server: a TCP relay on
// loopback that the test can cut (every connection closed, new ones refused
// by closing them at once, as a dead 2G link looks to the agent) and
// restore. Its address stays the same throughout.
type link struct {
	ln     net.Listener
	target string
	wg     sync.WaitGroup

	mu    sync.Mutex // guards following
	up    bool
	conns map[net.Conn]bool
}

func newLink(t *testing.T, target string) *link {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &link{ln: ln, target: target, up: true, conns: map[net.Conn]bool{}}
	l.wg.Add(1)
	go l.accept()
	t.Cleanup(func() {
		ln.Close()
		l.cut()
		l.wg.Wait()
	})
	return l
}

// URL is the server URL the agent is given.
func (l *link) URL() string { return "http://" + l.ln.Addr().String() }

func (l *link) accept() {
	defer l.wg.Done()
	for {
		c, err := l.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue
		}
		l.mu.Lock()
		up := l.up
		if up {
			l.conns[c] = true
		}
		l.mu.Unlock()
		if !up {
			c.Close()
			continue
		}
		l.wg.Add(1)
		go l.relay(c)
	}
}

// relay copies both ways between the agent's connection and one to the
// server, until either side ends or the link is cut.
func (l *link) relay(c net.Conn) {
	defer l.wg.Done()
	defer l.forget(c)
	s, err := net.Dial("tcp", l.target)
	if err != nil {
		return
	}
	if !l.track(s) {
		s.Close()
		return
	}
	defer l.forget(s)
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		io.Copy(dst, src)
		done <- struct{}{}
	}
	go pipe(s, c)
	go pipe(c, s)
	<-done
	c.Close()
	s.Close()
	<-done
}

func (l *link) track(c net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.up {
		return false
	}
	l.conns[c] = true
	return true
}

func (l *link) forget(c net.Conn) {
	c.Close()
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
}

// cut drops every connection and refuses new ones until restore.
func (l *link) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.up = false
	for c := range l.conns {
		c.Close()
	}
}

func (l *link) restore() {
	l.mu.Lock()
	l.up = true
	l.mu.Unlock()
}
