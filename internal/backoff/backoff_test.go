package backoff

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDelayDoublesUpToTheCapAndJitterOnlyShortens(t *testing.T) {
	p := Policy{Base: 5 * time.Second, Max: time.Minute, Jitter: 0.5}
	tests := []struct {
		n       int
		r       float64
		want    time.Duration
		wantLow time.Duration // with r just under 1
	}{
		{1, 0, 5 * time.Second, 2500 * time.Millisecond},
		{2, 0, 10 * time.Second, 5 * time.Second},
		{3, 0.5, 15 * time.Second, 10 * time.Second},
		{4, 0, 40 * time.Second, 20 * time.Second},
		{5, 0, time.Minute, 30 * time.Second},
		{50, 0, time.Minute, 30 * time.Second},
	}
	for _, tt := range tests {
		p.Rand = func() float64 { return tt.r }
		if got := p.Delay(tt.n); got != tt.want {
			t.Errorf("Delay(%d) with r=%v = %v, want %v", tt.n, tt.r, got, tt.want)
		}
		p.Rand = func() float64 { return 0.999999 }
		if lo := p.Delay(tt.n); lo <= tt.wantLow || lo > tt.want {
			t.Errorf("Delay(%d) with r≈1 = %v, want just over %v", tt.n, lo, tt.wantLow)
		}
	}
}

func TestDelayWithoutJitterIsExact(t *testing.T) {
	p := Policy{Base: 100 * time.Millisecond, Max: time.Second, Rand: func() float64 { t.Fatal("no jitter draws no number"); return 0 }}
	for n, want := range map[int]time.Duration{1: 100 * time.Millisecond, 3: 400 * time.Millisecond, 5: time.Second, 1000: time.Second} {
		if got := p.Delay(n); got != want {
			t.Errorf("Delay(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestDelayNeverPassesTheCap(t *testing.T) {
	p := Policy{Base: 3 * time.Second, Max: 10 * time.Second, Jitter: 0.25}
	for n := 1; n <= 40; n++ {
		if d := p.Delay(n); d > p.Max || d < p.Base*3/4 {
			t.Fatalf("Delay(%d) = %v, outside [%v, %v]", n, d, p.Base*3/4, p.Max)
		}
	}
}

func TestSleepWaitsOnTheInjectedClock(t *testing.T) {
	fire := make(chan time.Time, 1)
	var asked time.Duration
	p := Policy{After: func(d time.Duration) <-chan time.Time { asked = d; return fire }}
	fire <- time.Time{}
	if err := p.Sleep(context.Background(), time.Hour); err != nil || asked != time.Hour {
		t.Fatalf("Sleep = %v after asking the clock for %v, want nil after an hour's timer", err, asked)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on an ended context = %v, want context.Canceled", err)
	}
}
