package vmodem

import "time"

// powerOn starts the modem: silence for the boot time, then the boot lines.
func (e *engine) powerOn() {
	e.epoch++
	e.boots++
	e.set = e.defaults()
	e.mode = modeCommand
	e.prompt = nil
	e.line = e.line[:0]
	e.overflow = false
	e.busy = false
	e.pending = nil
	e.post = nil
	e.ussd.session = nil
	e.call = nil
	if e.net.cmtAwait != nil {
		// An unacknowledged +CMT is retried by the network.
		e.net.waiting = append([]*inbound{e.net.cmtAwait}, e.net.waiting...)
		e.net.cmtAwait = nil
	}
	e.sim.relock()
	e.booting = true
	epoch := e.epoch
	e.after(e.t.boot, false, func() {
		if e.epoch != epoch {
			return
		}
		e.booting = false
		e.write(e.infoBlockAll(e.bootLines()))
		e.pump()
	})
}

// reboot is a firmware restart: volatile settings and command state are lost,
// the SIM (storage, PIN, last MR) and the network's queue are kept.
func (e *engine) reboot(reason string) {
	e.log.Info().Str("reason", reason).Int("boots", e.boots+1).Msg("virtual modem reboots")
	e.powerOn()
}

// rebootAfterAnswer reboots once the current command's final result is out.
func (e *engine) rebootAfterAnswer(name string) {
	e.post = append(e.post, func() { e.reboot("fault after " + name) })
}

// infoBlockAll frames each line on its own, like a burst of URCs.
func (e *engine) infoBlockAll(lines []string) string {
	s := ""
	for _, l := range lines {
		s += e.infoBlock([]string{l})
	}
	return s
}

// bootLines are the profile's boot burst, cut at +CPIN when the SIM needs a PIN.
func (e *engine) bootLines() []string {
	lines := e.prof.boot
	if e.sim.state == simReady && e.sim.present {
		return lines
	}
	want := "+CPIN: SIM PIN"
	switch {
	case !e.sim.present:
		want = "+CPIN: NOT INSERTED"
	case e.sim.state == simPUK:
		want = "+CPIN: SIM PUK"
	}
	for i, l := range lines {
		if l == "+CPIN: READY" {
			out := append([]string(nil), lines[:i]...)
			return append(out, want)
		}
	}
	return lines
}

// unplugFor makes the device vanish (the pty closes, the link goes away) and
// come back as a new pty after d, as a USB modem re-enumerates after a reset.
func (e *engine) unplugFor(d time.Duration) {
	e.log.Info().Stringer("for", d.Round(time.Millisecond)).Msg("virtual modem unplugged")
	e.unplug = true
	e.out.Reset()
	e.m.dropPort()
	e.after(d, false, func() {
		if err := e.m.plugPort(); err != nil {
			e.log.Error().Err(err).Msg("replug virtual modem")
			return
		}
		e.unplug = false
		e.powerOn()
	})
}

// periodicRSSI emits Huawei's ^RSSI noise while ^CURC=1.
func (e *engine) periodicRSSI() {
	if e.t.rssi <= 0 || !e.prof.rssi {
		return
	}
	n := 0
	var tick func()
	tick = func() {
		if e.set.curc == 1 && !e.booting {
			n++
			if n%3 == 0 {
				e.urc("^BOOT:48175390,0,0,0,89")
			} else {
				e.urc("^RSSI:" + itoa(e.signal))
			}
		}
		e.after(e.t.rssi, false, tick)
	}
	e.after(e.t.rssi, false, tick)
}
