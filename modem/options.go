package modem

import (
	"context"
	"io"
	"time"

	"github.com/rs/zerolog"
)

// PowerCycler power-cycles the modem (hardware/power.Command does it with
// an operator-configured program).
type PowerCycler interface {
	PowerCycle(ctx context.Context) error
}

// Defaults for Options.
const (
	DefaultCommandTimeout = 10 * time.Second
	DefaultSendTimeout    = 60 * time.Second
	DefaultHealthInterval = time.Minute
	DefaultRegisterWait   = time.Minute
	DefaultRebootWait     = 30 * time.Second
	DefaultRingGap        = 8 * time.Second
	DefaultUSSDTimeout    = 30 * time.Second
	DefaultPollInterval   = 30 * time.Second
)

// Options configure a Modem. Zero values mean the defaults.
type Options struct {
	Log zerolog.Logger
	// Trace receives every AT line; wrap it in at.NewRedactor in the field.
	Trace io.Writer
	// Now and After are the clock; tests inject a fake one.
	Now   func() time.Time
	After func(time.Duration) <-chan time.Time

	CommandTimeout time.Duration // one AT command
	SendTimeout    time.Duration // AT+CMGS from the PDU to +CMGS
	HealthInterval time.Duration // signal/registration check, and unresponsiveness detection
	RegisterWait   time.Duration // how long Init waits for network registration
	RebootWait     time.Duration // how long a modem takes to boot after a reset or power cycle
	RingGap        time.Duration // silence after the last RING that ends a call
	USSDTimeout    time.Duration // from AT+CUSD to the answer

	// PowerCycle is the last resort for a modem that does not answer;
	// nil means there is no power control.
	PowerCycle PowerCycler
	// PIN is entered when the SIM asks for one.
	PIN string
	// RejectCalls hangs up (ATH) a ringing call once the caller is known,
	// so the shopper is not charged and the line frees up at once.
	RejectCalls bool
	// Jitter returns a number in [0,1) for back-off jitter; nil means
	// math/rand.
	Jitter func() float64
}

func (o *Options) setDefaults() {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.After == nil {
		o.After = time.After
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.CommandTimeout, DefaultCommandTimeout)
	def(&o.SendTimeout, DefaultSendTimeout)
	def(&o.HealthInterval, DefaultHealthInterval)
	def(&o.RegisterWait, DefaultRegisterWait)
	def(&o.RebootWait, DefaultRebootWait)
	def(&o.RingGap, DefaultRingGap)
	def(&o.USSDTimeout, DefaultUSSDTimeout)
}
