package faultproxy

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Kind is what the proxy does to one request.
type Kind int

const (
	// Pass forwards the request and its response unchanged.
	Pass Kind = iota
	// Drop closes the client's connection without forwarding anything:
	// the server never sees the request.
	Drop
	// DropResponse forwards the request, lets the server act on it, then
	// closes the client's connection without a response: the client cannot
	// tell whether it was stored.
	DropResponse
	// CutRequest forwards only the first Bytes of the request body and
	// then breaks both connections.
	CutRequest
	// CutResponse forwards the request, then sends the client the status,
	// headers and only the first Bytes of the response body before closing.
	CutResponse
	// Duplicate sends the request to the server twice (as a client retry
	// after a lost response would) and answers with the second response.
	Duplicate
)

var kindNames = [...]string{"pass", "drop", "drop_response", "cut_request", "cut_response", "duplicate"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Fault is the decision for one request. Delay, if any, is waited before
// the request is forwarded, whatever the Kind.
type Fault struct {
	Kind  Kind
	Delay time.Duration
	Bytes int64 // for CutRequest and CutResponse: body bytes let through
}

// Decider picks the fault for the n-th request (counting from 1) the proxy
// has received. It is called from the proxy's handler goroutines, one call
// at a time.
type Decider func(n int, r *http.Request) Fault

// Script returns a Decider that applies faults in order, one per request,
// and passes everything once they are used up.
func Script(faults ...Fault) Decider {
	var i int
	return func(int, *http.Request) Fault {
		if i >= len(faults) {
			return Fault{}
		}
		i++
		return faults[i-1]
	}
}

// Mix gives the chance (0 to 1) of each fault kind per request in a Random
// decider; what is left over passes.
type Mix struct {
	Drop, DropResponse, CutRequest, CutResponse, Duplicate float64
	Delay                                                  float64       // chance of a delay, independent of the kind
	MaxDelay                                               time.Duration // delays are uniform in [0, MaxDelay)
}

// Random returns a seeded Decider drawing faults from m, so a failing run
// can be replayed with the same seed.
func Random(seed uint64, m Mix) Decider {
	var mu sync.Mutex // guards rng
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func(int, *http.Request) Fault {
		mu.Lock()
		defer mu.Unlock()
		var f Fault
		x := rng.Float64()
		for _, c := range []struct {
			p float64
			k Kind
		}{{m.Drop, Drop}, {m.DropResponse, DropResponse}, {m.CutRequest, CutRequest}, {m.CutResponse, CutResponse}, {m.Duplicate, Duplicate}} {
			if x < c.p {
				f.Kind = c.k
				break
			}
			x -= c.p
		}
		if f.Kind == CutRequest || f.Kind == CutResponse {
			f.Bytes = rng.Int64N(512)
		}
		if m.MaxDelay > 0 && rng.Float64() < m.Delay {
			f.Delay = time.Duration(rng.Int64N(int64(m.MaxDelay)))
		}
		return f
	}
}
