package faultproxy

import (
	"net/http"
	"net/http/httptest"
	"sync"
)

// Upstream runs the server behind a proxy so a test can stop it the way a
// crash would (connections cut, nothing answered) and start it again.
type Upstream struct {
	proxy *Proxy

	mu  sync.Mutex // guards following
	srv *httptest.Server
}

// NewUpstream serves h on a loopback port and points p at it.
func NewUpstream(p *Proxy, h http.Handler) *Upstream {
	u := &Upstream{proxy: p}
	u.Start(h)
	return u
}

// Start serves h on a new loopback port and points the proxy at it,
// stopping any server still running.
func (u *Upstream) Start(h http.Handler) {
	u.Stop()
	srv := httptest.NewServer(h)
	u.mu.Lock()
	u.srv = srv
	u.mu.Unlock()
	u.proxy.SetTarget(srv.URL) // a URL from httptest always parses
}

// Stop cuts every connection and closes the server; until Start, the
// proxy answers 502. It waits for handlers already running to return, so
// the caller may then close what the handler uses.
func (u *Upstream) Stop() {
	u.mu.Lock()
	srv := u.srv
	u.srv = nil
	u.mu.Unlock()
	if srv == nil {
		return
	}
	u.proxy.SetTarget("")
	srv.CloseClientConnections()
	srv.Close()
}

// URL is the running server's own address, "" while stopped.
func (u *Upstream) URL() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.srv == nil {
		return ""
	}
	return u.srv.URL
}
