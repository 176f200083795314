package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/tokrihq/tokri/sync/wire"
)

// traceTransport records, per request the sync client makes, the header
// and body bytes each way and the JSON size of each body before gzip, so
// that a missed target can be put down to its cause.
type traceTransport struct {
	next http.RoundTripper

	mu    sync.Mutex // guards following
	calls []traceCall
}

type traceCall struct {
	method, path          string
	headUp, bodyUp, rawUp int
	headDown, bodyDown    int
	rawDown               int
}

func (t *traceTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c := traceCall{method: r.Method, path: r.URL.Path}
	c.headUp = len(r.Method) + 1 + len(r.URL.RequestURI()) + len(" HTTP/1.1\r\nHost: \r\n") + len(r.URL.Host) + headerLen(r.Header)
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		c.bodyUp = len(b)
		c.rawUp = rawLen(r.Header.Get("Content-Encoding"), b)
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	c.headDown = len("HTTP/1.1 200 OK\r\n\r\n") + headerLen(resp.Header)
	c.bodyDown = len(b)
	c.rawDown = rawLen(resp.Header.Get("Content-Encoding"), b)
	t.mu.Lock()
	t.calls = append(t.calls, c)
	t.mu.Unlock()
	return resp, nil
}

// take returns the calls recorded since the last take.
func (t *traceTransport) take() []traceCall {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.calls
	t.calls = nil
	return c
}

func headerLen(h http.Header) int {
	n := 0
	for k, vs := range h {
		for _, v := range vs {
			if k == "User-Agent" && v == "" { // net/http sends none
				continue
			}
			n += len(k) + 2 + len(v) + 2
		}
	}
	return n
}

func rawLen(enc string, b []byte) int {
	raw, err := wire.Decode(enc, b)
	if err != nil {
		return -1
	}
	return len(raw)
}

// breakdown is one line per kind of request: how many, and where the
// bytes went.
func breakdown(calls []traceCall) string {
	type sum struct {
		n                                         int
		headUp, bodyUp, rawUp, headDown, bodyDown int
		rawDown                                   int
	}
	by := map[string]*sum{}
	var keys []string
	for _, c := range calls {
		k := c.method + " " + c.path
		s := by[k]
		if s == nil {
			s = &sum{}
			by[k] = s
			keys = append(keys, k)
		}
		s.n++
		s.headUp += c.headUp
		s.bodyUp += c.bodyUp
		s.rawUp += c.rawUp
		s.headDown += c.headDown
		s.bodyDown += c.bodyDown
		s.rawDown += c.rawDown
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		s := by[k]
		fmt.Fprintf(&b, "    %-17s x%-3d up: headers %s, body %s (JSON %s)   down: headers %s, body %s (JSON %s)\n",
			k, s.n, kb(int64(s.headUp)), kb(int64(s.bodyUp)), kb(int64(s.rawUp)), kb(int64(s.headDown)), kb(int64(s.bodyDown)), kb(int64(s.rawDown)))
	}
	return b.String()
}
