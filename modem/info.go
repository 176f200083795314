package modem

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Signal is the received signal strength.
type Signal struct {
	CSQ  int // <rssi> of AT+CSQ (0..31, 99 unknown)
	DBm  int // 0 when unknown
	Bars int // 0..4
}

// SignalFromCSQ converts an AT+CSQ <rssi> (27.007 8.5): 0 is -113 dBm or
// less, 2..30 are -109..-53 dBm in 2 dB steps, 31 is -51 dBm or more, 99
// is unknown. Bars follow the usual 2G thresholds: under 2 none, 2..9
// marginal, 10..14 ok, 15..19 good, 20 and up excellent.
func SignalFromCSQ(rssi int) Signal {
	if rssi < 0 || rssi > 31 {
		return Signal{CSQ: 99}
	}
	s := Signal{CSQ: rssi, DBm: -113 + 2*rssi}
	switch {
	case rssi >= 20:
		s.Bars = 4
	case rssi >= 15:
		s.Bars = 3
	case rssi >= 10:
		s.Bars = 2
	case rssi >= 2:
		s.Bars = 1
	}
	return s
}

// Registration is the <stat> of AT+CREG? (27.007 7.2).
type Registration int

// Registration states.
const (
	RegNotRegistered Registration = 0
	RegHome          Registration = 1
	RegSearching     Registration = 2
	RegDenied        Registration = 3
	RegUnknown       Registration = 4
	RegRoaming       Registration = 5
)

// Registered reports whether SMS can flow.
func (r Registration) Registered() bool { return r == RegHome || r == RegRoaming }

func (r Registration) String() string {
	switch r {
	case RegNotRegistered:
		return "not-registered"
	case RegHome:
		return "home"
	case RegSearching:
		return "searching"
	case RegDenied:
		return "denied"
	case RegRoaming:
		return "roaming"
	}
	return "unknown"
}

// Storage is the SMS storage that messages are read from.
type Storage struct {
	Mem   string
	Used  int
	Total int
}

// Info describes the modem, its SIM and its network. Print IMEI through
// MaskIMEI.
type Info struct {
	Manufacturer string
	Model        string
	Revision     string
	IMEI         string
	Signal       Signal
	Registration Registration
	Operator     string
	Storage      Storage
}

// Info asks the modem what it is and how it is doing. It fills in what it
// can and returns the first error.
func (m *Modem) Info(ctx context.Context) (Info, error) {
	var info Info
	var errs []error
	ident := func(cmd, prefix string) string {
		lines, err := m.port.Command(ctx, cmd)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", cmd, err))
			return ""
		}
		return identValue(lines, prefix)
	}
	info.Manufacturer = ident("AT+CGMI", "+CGMI")
	info.Model = ident("AT+CGMM", "+CGMM")
	info.Revision = ident("AT+CGMR", "+CGMR")
	info.IMEI = imeiOf(ident("AT+CGSN", "+CGSN"))
	// ok keeps err for the caller; a field is filled only from an answer.
	ok := func(err error) bool {
		if err != nil {
			errs = append(errs, err)
		}
		return err == nil
	}
	if s, err := m.querySignal(ctx); ok(err) {
		info.Signal = s
	}
	if r, err := m.queryRegistration(ctx); ok(err) {
		info.Registration = r
	}
	if op, err := m.queryOperator(ctx); ok(err) {
		info.Operator = op
	}
	if st, err := m.queryStorage(ctx); ok(err) {
		info.Storage = st
	}
	if len(errs) > 0 {
		return info, fmt.Errorf("modem info: %w", errs[0])
	}
	return info, nil
}

// identValue returns the answer of an identification command: the first
// line, without a "+CGMI:" style prefix or quotes.
func identValue(lines []string, prefix string) string {
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if rest, ok := afterPrefix(l, prefix); ok {
			l = rest
		}
		return unquote(l)
	}
	return ""
}

func imeiOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (m *Modem) querySignal(ctx context.Context) (Signal, error) {
	lines, err := m.port.Command(ctx, "AT+CSQ")
	if err != nil {
		return Signal{CSQ: 99}, fmt.Errorf("AT+CSQ: %w", err)
	}
	f, ok := findFields(lines, "+CSQ")
	if !ok {
		return Signal{CSQ: 99}, fmt.Errorf("AT+CSQ: no +CSQ line")
	}
	v, ok := atoi(f[0])
	if !ok {
		return Signal{CSQ: 99}, fmt.Errorf("AT+CSQ: unreadable %q", f[0])
	}
	return SignalFromCSQ(v), nil
}

// queryRegistration asks AT+CREG?; modems that only know LTE registration
// answer AT+CEREG? instead.
func (m *Modem) queryRegistration(ctx context.Context) (Registration, error) {
	r, err := m.queryReg(ctx, "AT+CREG?", "+CREG")
	if err == nil && r.Registered() {
		return r, nil
	}
	r2, err2 := m.queryReg(ctx, "AT+CEREG?", "+CEREG")
	if err2 == nil && r2.Registered() {
		return r2, nil
	}
	if err != nil {
		return RegUnknown, err
	}
	return r, nil
}

func (m *Modem) queryReg(ctx context.Context, cmd, prefix string) (Registration, error) {
	lines, err := m.port.Command(ctx, cmd)
	if err != nil {
		return RegUnknown, fmt.Errorf("%s: %w", cmd, err)
	}
	f, ok := findFields(lines, prefix)
	if !ok {
		return RegUnknown, fmt.Errorf("%s: no %s line", cmd, prefix)
	}
	return parseRegFields(f), nil
}

// parseRegFields reads "<n>,<stat>[,...]" (the answer to the query) or a
// lone "<stat>".
func parseRegFields(f []string) Registration {
	i := 1
	if len(f) < 2 {
		i = 0
	}
	v, ok := atoi(f[i])
	if !ok || v < 0 || v > 5 {
		return RegUnknown
	}
	return Registration(v)
}

func (m *Modem) queryOperator(ctx context.Context) (string, error) {
	lines, err := m.port.Command(ctx, "AT+COPS?")
	if err != nil {
		return "", fmt.Errorf("AT+COPS?: %w", err)
	}
	f, ok := findFields(lines, "+COPS")
	if !ok {
		return "", errors.New("AT+COPS?: no +COPS line")
	}
	if len(f) < 3 {
		return "", nil
	}
	return unquote(f[2]), nil
}

func (m *Modem) queryStorage(ctx context.Context) (Storage, error) {
	lines, err := m.port.Command(ctx, "AT+CPMS?")
	if err != nil {
		return Storage{}, fmt.Errorf("AT+CPMS?: %w", err)
	}
	f, ok := findFields(lines, "+CPMS")
	if !ok || len(f) < 3 {
		return Storage{}, errors.New("AT+CPMS?: no +CPMS line")
	}
	used, _ := atoi(f[1])
	total, _ := atoi(f[2])
	return Storage{Mem: unquote(f[0]), Used: used, Total: total}, nil
}
