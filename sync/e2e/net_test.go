package e2e

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// newLoopback serves h on a loopback port for the test's life.
func newLoopback(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// newHTTPClient is the agent's HTTP client: a short timeout, so a request
// whose answer is lost fails fast instead of holding the test.
func newHTTPClient(t *testing.T) *http.Client {
	tr := &http.Transport{MaxIdleConnsPerHost: 2}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Timeout: 5 * time.Second, Transport: tr}
}
