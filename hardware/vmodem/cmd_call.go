package vmodem

import "strings"

func (e *engine) cpas(c *command) ([]string, error) {
	if c.op == opTest {
		return []string{"+CPAS: (0,3,4)"}, nil
	}
	st := 0
	if e.call != nil {
		st = 3
		if e.call.answered {
			st = 4
		}
	}
	return []string{"+CPAS: " + itoa(st)}, nil
}

func (e *engine) atCLCC(c *command) ([]string, error) {
	if c.op != opExec {
		return nil, nil
	}
	return e.clcc(), nil
}

// atA answers a ringing call; the caller hangs up a little later.
func (e *engine) atA(*command) ([]string, error) {
	cs := e.call
	if cs == nil || cs.answered {
		return nil, raw("NO CARRIER")
	}
	cs.answered = true
	e.post = append(e.post, func() {
		e.after(2*e.t.ring, false, func() { e.callerHangsUp(cs) })
	})
	return nil, nil
}

func (e *engine) atH(*command) ([]string, error) {
	e.call = nil
	return nil, nil
}

// atD: outgoing calls are not simulated; the far end never answers.
func (e *engine) atD(c *command) ([]string, error) {
	if e.regStat() != 1 || !strings.HasSuffix(c.args, ";") {
		return nil, raw("NO CARRIER")
	}
	e.post = append(e.post, func() {
		e.after(e.t.ring, true, func() { e.urc("NO ANSWER") })
	})
	return nil, nil
}
