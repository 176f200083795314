package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tokrihq/tokri/sync/wire"
)

// Agent is one simulated agent's credentials.
type Agent struct {
	Store, Secret string
}

// Options configure Run.
type Options struct {
	URL      string // server base URL, e.g. http://127.0.0.1:8080
	Agents   []Agent
	Duration time.Duration
	Client   *http.Client // nil: one with enough idle connections per host for every agent
	// PushRecords is the number of records in each push (default 3: an
	// order, its stock movement and a state change).
	PushRecords int
}

// Result is what Run measured.
type Result struct {
	Requests, Errors   int
	Elapsed            time.Duration
	RPS                float64
	P50, P99, Max      time.Duration
	BytesUp, BytesDown int64
	FirstError         string
}

func (r Result) String() string {
	return fmt.Sprintf("%d requests in %s: %.0f req/s, p50 %s, p99 %s, max %s, %d errors, %d bytes up, %d down",
		r.Requests, r.Elapsed.Round(time.Millisecond), r.RPS, r.P50, r.P99, r.Max, r.Errors, r.BytesUp, r.BytesDown)
}

// Run makes every agent loop push then pull until Duration passes or ctx
// ends, and reports.
func Run(ctx context.Context, o Options) (Result, error) {
	if len(o.Agents) == 0 {
		return Result{}, fmt.Errorf("no agents")
	}
	client := o.Client
	if client == nil {
		tr := &http.Transport{MaxIdleConns: 2 * len(o.Agents), MaxIdleConnsPerHost: 2 * len(o.Agents), IdleConnTimeout: time.Minute}
		defer tr.CloseIdleConnections()
		client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	}
	if o.PushRecords <= 0 {
		o.PushRecords = 3
	}
	ctx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()
	var (
		up, down atomic.Int64
		mu       sync.Mutex // guards following
		lat      []time.Duration
		errs     int
		first    string
		wg       sync.WaitGroup
	)
	record := func(d time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if ctx.Err() != nil {
				return // cut by the end of the run, not a server failure
			}
			errs++
			if first == "" {
				first = err.Error()
			}
			return
		}
		lat = append(lat, d)
	}
	start := time.Now()
	for i, a := range o.Agents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ag := &agent{Agent: a, id: i, client: client, url: o.URL, n: o.PushRecords, up: &up, down: &down}
			for ctx.Err() == nil {
				t := time.Now()
				err := ag.push(ctx)
				record(time.Since(t), err)
				if ctx.Err() != nil {
					return
				}
				t = time.Now()
				err = ag.pull(ctx)
				record(time.Since(t), err)
			}
		}()
	}
	wg.Wait()
	res := Result{Requests: len(lat), Errors: errs, Elapsed: time.Since(start), BytesUp: up.Load(), BytesDown: down.Load(), FirstError: first}
	if len(lat) > 0 {
		slices.Sort(lat)
		res.P50 = lat[len(lat)/2]
		res.P99 = lat[min(len(lat)-1, len(lat)*99/100)]
		res.Max = lat[len(lat)-1]
		res.RPS = float64(len(lat)) / res.Elapsed.Seconds()
	}
	return res, nil
}

type agent struct {
	Agent
	id       int
	client   *http.Client
	url      string
	n        int
	seq      uint64
	version  uint64
	cursor   string
	up, down *atomic.Int64
}

func (a *agent) push(ctx context.Context) error {
	var req wire.PushRequest
	for range a.n {
		a.seq++
		id := fmt.Sprintf("L%04d-%d", a.id, (a.seq-1)/3) // order, stock and state of one order
		var kind string
		var body any
		switch a.seq % 3 {
		case 1:
			kind = wire.KindOrder
			body = wire.OrderBody{ID: id, Lines: []wire.OrderLine{{SKU: "SKU-001", Name: "Item 1", Qty: 2, Price: 1001}},
				Subtotal: 2002, Total: 2002, Mode: "pickup", Payment: "cod", State: "placed", CreatedAt: time.Now().UTC()}
		case 2:
			kind, body = wire.KindStock, wire.StockBody{SKU: "SKU-001", Delta: -2, Reason: "order"}
		default:
			kind, body = wire.KindOrderState, wire.OrderStateBody{ID: id, State: "accepted", At: time.Now().UTC()}
		}
		js, _ := json.Marshal(body)
		req.Records = append(req.Records, wire.Record{Seq: a.seq, Key: fmt.Sprintf("%s:%s:%d", kind, id, a.seq), Kind: kind, Body: js, At: time.Now().UTC()})
	}
	var resp wire.PushResponse
	if err := a.do(ctx, "POST", wire.PathOutbox, req, &resp); err != nil {
		return err
	}
	if len(resp.Acked) != len(req.Records) {
		return fmt.Errorf("push of %d records: %d acked, %d rejected", len(req.Records), len(resp.Acked), len(resp.Rejected))
	}
	return nil
}

func (a *agent) pull(ctx context.Context) error {
	var page wire.CatalogResponse
	if err := a.do(ctx, "GET", wire.CatalogURI(a.version, a.cursor, 0), nil, &page); err != nil {
		return err
	}
	if page.More {
		a.cursor = page.Cursor
	} else {
		a.version, a.cursor = page.Version, ""
	}
	return nil
}

func (a *agent) do(ctx context.Context, method, uri string, body, into any) error {
	req, sent, err := wire.NewRequest(ctx, method, a.url, uri, body, a.Store, a.Secret, time.Now())
	if err != nil {
		return err
	}
	a.up.Add(int64(sent))
	resp, err := a.client.Do(req)
	if err != nil {
		return err
	}
	n, err := wire.ReadResponse(resp, into)
	a.down.Add(int64(n))
	return err
}
