package vmodem

// SIM lock states.
const (
	simReady = iota
	simPIN
	simPUK
)

// simState is what lives on the SIM card and so survives a modem reboot.
type simState struct {
	present  bool
	pin      string // "" = PIN disabled
	puk      string
	state    int
	attempts int // PIN attempts left
	lastMR   int // last TP-MR used (EF_SMSS)
	smsc     string
}

// relock is the SIM at power-up: a PIN-enabled card asks for it again.
func (s *simState) relock() {
	if s.pin == "" {
		s.state = simReady
		return
	}
	if s.state != simPUK {
		s.state = simPIN
		if s.attempts <= 0 {
			s.attempts = 3
		}
	}
}

// nextMR returns the next message reference, wrapping at 255.
func (s *simState) nextMR() int {
	s.lastMR = (s.lastMR + 1) % 256
	return s.lastMR
}

// cpinText is the answer to AT+CPIN?.
func (s *simState) cpinText() string {
	switch s.state {
	case simPIN:
		return "SIM PIN"
	case simPUK:
		return "SIM PUK"
	}
	return "READY"
}

// lockErr is the error for a command that needs the SIM, nil if ready.
func (s *simState) lockErr(smsCmd bool) *atError {
	switch {
	case !s.present && smsCmd:
		return cms(cmsNoSIM)
	case !s.present:
		return cme(10)
	case s.state == simPIN && smsCmd:
		return cms(cmsSIMPIN)
	case s.state == simPIN:
		return cme(11)
	case s.state == simPUK && smsCmd:
		return cms(cmsSIMPUK)
	case s.state == simPUK:
		return cme(12)
	}
	return nil
}
