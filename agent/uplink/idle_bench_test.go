package uplink

import (
	"context"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokrihq/tokri/internal/testkit/testtime"
)

// BenchmarkIdleRound is a round with nothing to push and nothing new in
// the catalog, over TLS to the test server as the agent makes it every
// Interval when nothing wakes it, DefaultInterval apart on the client's
// clock: the bytes on the wire (connection kept open between rounds, and
// a new one each round as where the network drops idle connections; TCP
// and IP headers not counted: "tokri bench-idle" counts every IP packet of
// the real agent and central) and the store commits (two fdatasyncs each),
// per round, per idle hour and per idle day.
func BenchmarkIdleRound(b *testing.B) {
	for _, reconnect := range []bool{false, true} {
		name := map[bool]string{false: "kept-alive", true: "reconnect"}[reconnect]
		b.Run(name, func(b *testing.B) {
			clk := testtime.NewClock(t0)
			_, plain := newFake(b, clk.Now)
			srv := httptest.NewUnstartedServer(plain.Config.Handler)
			srv.StartTLS()
			defer srv.Close()
			db := newDB(b, clk.Now)
			c := newClient(b, db, srv.URL, clk.Now, func(o *Options) { o.HTTP = srv.Client() })
			if _, err := c.SyncNow(context.Background()); err != nil { // learn the catalog
				b.Fatal(err)
			}
			commits0, written0 := db.Commits(), writeBytes(b)
			var bytes int64
			b.ResetTimer()
			for range b.N {
				clk.Add(DefaultInterval)
				if reconnect {
					srv.CloseClientConnections()
				}
				r, err := c.SyncNow(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				bytes += r.BytesSent + r.BytesReceived
			}
			b.StopTimer()
			written := float64(writeBytes(b)-written0) / float64(b.N)
			perHour := float64(time.Hour) / float64(DefaultInterval)
			commits := float64(db.Commits()-commits0) / float64(b.N)
			perRound := float64(bytes) / float64(b.N)
			b.ReportMetric(perRound, "wire-B/round")
			b.ReportMetric(commits, "commits/round")
			b.ReportMetric(perRound*perHour/1024, "wire-KB/idle-hour")
			b.ReportMetric(perRound*perHour*24/1024, "wire-KB/idle-day")
			b.ReportMetric(commits*perHour, "commits/idle-hour")
			b.ReportMetric(written*perHour/1024, "store-write-KB/idle-hour")
		})
	}
}

// writeBytes is this process's write_bytes from /proc/self/io: what it
// had written to storage.
func writeBytes(b *testing.B) int64 {
	raw, err := os.ReadFile("/proc/self/io")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return n
		}
	}
	b.Fatal("no write_bytes in /proc/self/io")
	return 0
}
