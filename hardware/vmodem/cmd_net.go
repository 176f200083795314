package vmodem

import "time"

// busyFor makes the current command take at least d (a network scan).
func (e *engine) busyFor(d time.Duration) { e.extraLatency = max(e.extraLatency, d) }

func (e *engine) cpin(c *command) ([]string, error) {
	s := &e.sim
	if !s.present {
		return nil, cme(10)
	}
	switch c.op {
	case opRead:
		return []string{"+CPIN: " + s.cpinText()}, nil
	case opTest, opExec:
		return nil, nil
	}
	code, ok := strParam(c, 0)
	if !ok {
		return nil, cme(3)
	}
	switch s.state {
	case simReady:
		return nil, cme(3)
	case simPIN:
		if code != s.pin {
			s.attempts--
			if s.attempts <= 0 {
				s.state = simPUK
				return nil, cme(12)
			}
			return nil, cme(16)
		}
	case simPUK:
		newPIN, ok := strParam(c, 1)
		if !ok || code != s.puk {
			return nil, cme(16)
		}
		s.pin = newPIN
	}
	s.state = simReady
	s.attempts = 3
	e.post = append(e.post, func() {
		if len(e.prof.bootPIN) > 0 {
			e.urc(e.prof.bootPIN...)
		}
		if e.set.creg > 0 {
			e.urc(e.cregURC())
		}
		e.pump()
	})
	return nil, nil
}

func (e *engine) csq(c *command) ([]string, error) {
	if c.op == opTest {
		return []string{"+CSQ: (0-31,99),(0-7,99)"}, nil
	}
	if e.regStat() != 1 {
		return []string{"+CSQ: 99,99"}, nil
	}
	return []string{"+CSQ: " + itoa(e.signal) + ",0"}, nil
}

// creg is a setting whose read answer also tells the registration.
func (e *engine) creg(c *command) ([]string, error) {
	if c.op == opRead {
		l := "+CREG: " + itoa(e.set.creg) + "," + itoa(e.regStat())
		if e.set.creg == 2 && e.regStat() == 1 {
			l += `,"1A2B","3C4D"`
		}
		return []string{l}, nil
	}
	return setting{name: "+CREG", max: 2, test: true, bad: cme(4), field: func(s *settings) *int { return &s.creg }}.run(e, c)
}

func (e *engine) cops(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		if e.regStat() != 1 {
			return []string{"+COPS: 0"}, nil
		}
		return []string{`+COPS: 0,0,"IND airtel"` + e.prof.act}, nil
	case opTest:
		if e.net.lost {
			return []string{"+COPS: ,,(0-4),(0-2)"}, nil
		}
		if e.t.scan > 0 {
			e.busyFor(e.t.scan)
		}
		return []string{`+COPS: (2,"IND airtel","airtel","40445"),(3,"IND - JIO 4G","JIO 4G","405857"),(3,"Vi India","Vi India","40420"),,(0-4),(0-2)`}, nil
	}
	return nil, nil
}

func (e *engine) cfun(c *command) ([]string, error) {
	switch c.op {
	case opRead:
		return []string{"+CFUN: " + itoa(e.set.cfun)}, nil
	case opTest:
		return []string{"+CFUN: (0,1,4),(0-1)"}, nil
	case opSet:
		n, ok := intParam(c, 0, 0, 4, 1)
		if !ok || n == 2 || n == 3 {
			return nil, cme(4)
		}
		rst, ok := intParam(c, 1, 0, 1, 0)
		if !ok {
			return nil, cme(4)
		}
		if rst == 1 {
			e.post = append(e.post, func() { e.reboot("AT+CFUN reset") })
			return nil, nil
		}
		old := e.set.cfun
		e.set.cfun = n
		if (old == 1) != (n == 1) {
			if e.set.creg > 0 {
				e.post = append(e.post, func() { e.urc(e.cregURC()) })
			}
			if n == 1 {
				e.post = append(e.post, e.pump)
			}
		}
	}
	return nil, nil
}
