package faultproxy

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// recorder is a server that remembers the bodies it read in full and
// counts the ones that arrived broken.
type recorder struct {
	mu     sync.Mutex // guards following
	bodies []string
	broken int
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	rec.mu.Lock()
	if err != nil {
		rec.broken++
		rec.mu.Unlock()
		return
	}
	rec.bodies = append(rec.bodies, string(b))
	rec.mu.Unlock()
	w.Header().Set("X-Seen", r.URL.Path)
	io.WriteString(w, "echo:"+string(b))
}

func (rec *recorder) snapshot() ([]string, int) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.bodies...), rec.broken
}

func newProxy(t *testing.T, h http.Handler) (*Proxy, *Upstream, *httptest.Server) {
	t.Helper()
	p, err := New("", zerolog.New(zerolog.NewTestWriter(t)))
	if err != nil {
		t.Fatal(err)
	}
	up := NewUpstream(p, h)
	front := httptest.NewServer(p)
	t.Cleanup(func() {
		front.Close()
		up.Stop()
		p.Close()
	})
	return p, up, front
}

func post(t *testing.T, url, body string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", url+"/v1/push", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != 200 {
		return resp.Status, nil
	}
	return string(b), nil
}

func TestFaults(t *testing.T) {
	body := strings.Repeat("x", 1000)
	tests := []struct {
		name      string
		fault     Fault
		clientErr bool
		reply     string
		stored    int // complete bodies the server read
		broken    int // bodies that arrived cut
	}{
		{"pass", Fault{}, false, "echo:" + body, 1, 0},
		{"delay", Fault{Delay: 20 * time.Millisecond}, false, "echo:" + body, 1, 0},
		{"drop", Fault{Kind: Drop}, true, "", 0, 0},
		{"drop response", Fault{Kind: DropResponse}, true, "", 1, 0},
		{"cut request", Fault{Kind: CutRequest, Bytes: 100}, true, "", 0, 1},
		{"cut request at zero", Fault{Kind: CutRequest}, true, "", 0, 1},
		{"cut response", Fault{Kind: CutResponse, Bytes: 10}, true, "", 1, 0},
		{"cut response past the end", Fault{Kind: CutResponse, Bytes: 1 << 20}, true, "", 1, 0},
		{"duplicate", Fault{Kind: Duplicate}, false, "echo:" + body, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			p, _, front := newProxy(t, rec)
			p.SetDecider(Script(tt.fault))
			got, err := post(t, front.URL, body)
			if (err != nil) != tt.clientErr {
				t.Fatalf("client error = %v, want error %v", err, tt.clientErr)
			}
			if got != tt.reply {
				t.Errorf("reply = %.40q, want %.40q", got, tt.reply)
			}
			// A cut request reaches the server's handler a moment after
			// the client sees its connection closed.
			testtime.Eventually(t, fmt.Sprintf("%d whole and %d cut bodies read", tt.stored, tt.broken), func() (bool, string) {
				stored, broken := rec.snapshot()
				return len(stored) == tt.stored && broken == tt.broken, fmt.Sprintf("%d whole and %d cut", len(stored), broken)
			})
			// The script is used up: the next request passes.
			if got, err := post(t, front.URL, "again"); err != nil || got != "echo:again" {
				t.Errorf("after the fault: %q, %v", got, err)
			}
			if c := p.Counts()[tt.fault.Kind]; c < 1 {
				t.Errorf("count of %v = %d", tt.fault.Kind, c)
			}
		})
	}
}

func TestRestart(t *testing.T) {
	first, second := &recorder{}, &recorder{}
	_, up, front := newProxy(t, first)
	if got, err := post(t, front.URL, "a"); err != nil || got != "echo:a" {
		t.Fatalf("before stop: %q, %v", got, err)
	}
	up.Stop()
	if got, err := post(t, front.URL, "b"); err != nil || got != "502 Bad Gateway" {
		t.Fatalf("while stopped: %q, %v; want 502", got, err)
	}
	up.Start(second)
	if got, err := post(t, front.URL, "c"); err != nil || got != "echo:c" {
		t.Fatalf("after restart: %q, %v", got, err)
	}
	a, _ := first.snapshot()
	c, _ := second.snapshot()
	if strings.Join(a, ",") != "a" || strings.Join(c, ",") != "c" {
		t.Errorf("first server saw %q, second %q", a, c)
	}
}

func TestRandomIsReplayable(t *testing.T) {
	m := Mix{Drop: 0.1, DropResponse: 0.1, CutRequest: 0.1, CutResponse: 0.1, Duplicate: 0.1, Delay: 0.5, MaxDelay: time.Second}
	a, b := Random(7, m), Random(7, m)
	kinds := map[Kind]int{}
	for i := 1; i <= 500; i++ {
		fa, fb := a(i, nil), b(i, nil)
		if fa != fb {
			t.Fatalf("request %d: %+v vs %+v from the same seed", i, fa, fb)
		}
		kinds[fa.Kind]++
	}
	for k := Pass; k <= Duplicate; k++ {
		if kinds[k] == 0 {
			t.Errorf("no %v in 500 draws", k)
		}
	}
}

func TestPathJoin(t *testing.T) {
	tests := []struct{ base, path, want string }{
		{"", "/v1/push", "/v1/push"},
		{"/", "/v1/push", "/v1/push"},
		{"/api", "/v1/push", "/api/v1/push"},
		{"/api/", "/v1/push", "/api/v1/push"},
		{"/api", "v1", "/api/v1"},
	}
	for _, tt := range tests {
		if got := singleJoin(tt.base, tt.path); got != tt.want {
			t.Errorf("singleJoin(%q, %q) = %q, want %q", tt.base, tt.path, got, tt.want)
		}
	}
}
