package vmodem

// State is the modem as GET /v1/state shows it.
type State struct {
	Profile        string       `json:"profile"`
	Path           string       `json:"path"`
	Link           string       `json:"link,omitempty"`
	Boots          int          `json:"boots"`
	Booting        bool         `json:"booting"`
	Unplugged      bool         `json:"unplugged"`
	Storage        StorageState `json:"storage"`
	Waiting        int          `json:"waiting"` // PDUs waiting in the network
	AwaitingAck    bool         `json:"awaiting_ack"`
	Network        string       `json:"network"` // "registered", "lost" or "off"
	SIM            string       `json:"sim"`     // "READY", "SIM PIN", "SIM PUK", "NOT INSERTED"
	LastMR         int          `json:"last_mr"`
	Settings       Settings     `json:"settings"`
	Sent           int          `json:"sent"`            // entries in the sent log
	SentIncomplete int          `json:"sent_incomplete"` // concatenated messages missing parts
	Rejected       int          `json:"rejected"`        // submits answered with an error
	Delivered      int          `json:"delivered"`       // PDUs handed to the modem
	ReportsDropped int          `json:"reports_dropped"` // status reports lost to +CNMI <ds>=0
	USSDSession    bool         `json:"ussd_session"`
	Call           string       `json:"call,omitempty"` // "ringing" or "active"
	Commands       int          `json:"commands"`       // command lines executed
	Swallowed      int          `json:"swallowed"`      // command lines eaten by the silence fault
	Faults         Faults       `json:"faults"`
}

// StorageState is the SIM's message storage.
type StorageState struct {
	Used     int      `json:"used"`
	Total    int      `json:"total"`
	Indices  []int    `json:"indices"` // as the modem numbers them
	Messages []Stored `json:"messages"`
}

// Stored is one stored message.
type Stored struct {
	Index  int    `json:"index"`
	Stat   int    `json:"stat"`
	Kind   string `json:"kind"` // "deliver", "report", "submit"
	Length int    `json:"length"`
	PDU    string `json:"pdu"`
}

// Settings are the volatile AT settings the agent chose.
type Settings struct {
	Echo bool   `json:"echo"`
	CMEE int    `json:"cmee"`
	CMGF int    `json:"cmgf"`
	CNMI [5]int `json:"cnmi"`
	CSMS int    `json:"csms"`
	CLIP bool   `json:"clip"`
	CREG int    `json:"creg"`
	CURC bool   `json:"curc"`
	CSCS string `json:"cscs"`
	CFUN int    `json:"cfun"`
}

var kindNames = []string{"deliver", "report", "submit"}

func (e *engine) state() State {
	s := State{
		Profile:        e.prof.name,
		Path:           e.m.Path(),
		Link:           e.cfg.Link,
		Boots:          e.boots,
		Booting:        e.booting,
		Unplugged:      e.unplug,
		Waiting:        len(e.net.waiting),
		AwaitingAck:    e.net.cmtAwait != nil,
		Network:        "registered",
		SIM:            e.sim.cpinText(),
		LastMR:         e.sim.lastMR,
		Sent:           len(e.sent.entries),
		SentIncomplete: e.sent.incomplete(),
		Rejected:       e.sent.rejected,
		Delivered:      e.net.delivered,
		ReportsDropped: e.net.reportsDropped,
		USSDSession:    e.ussd.session != nil,
		Commands:       e.lines,
		Swallowed:      e.swallowed,
		Faults:         e.faults.active(e),
		Settings: Settings{
			Echo: e.set.echo, CMEE: e.set.cmee, CMGF: e.set.cmgf, CNMI: e.set.cnmi, CSMS: e.set.csms,
			CLIP: e.set.clip == 1, CREG: e.set.creg, CURC: e.set.curc == 1, CSCS: e.set.cscs, CFUN: e.set.cfun,
		},
	}
	if !e.sim.present {
		s.SIM = "NOT INSERTED"
	}
	switch {
	case e.net.lost:
		s.Network = "lost"
	case e.regStat() != 1:
		s.Network = "off"
	}
	if e.call != nil {
		s.Call = "ringing"
		if e.call.answered {
			s.Call = "active"
		}
	}
	s.Storage = StorageState{Used: e.store.used(), Total: e.store.total(), Indices: []int{}, Messages: []Stored{}}
	for _, i := range e.store.list(statAll) {
		r, _ := e.store.get(i)
		idx := i + e.prof.indexBase
		s.Storage.Indices = append(s.Storage.Indices, idx)
		s.Storage.Messages = append(s.Storage.Messages, Stored{Index: idx, Stat: r.stat, Kind: kindNames[r.kind],
			Length: r.length, PDU: r.pdu})
	}
	return s
}

// SIM changes the SIM card (POST /v1/sim). Setting a PIN locks the SIM now,
// as if it had just been inserted; every reboot asks for it again.
type SIM struct {
	PIN     *string `json:"pin,omitempty"` // "" disables the PIN
	PUK     *string `json:"puk,omitempty"`
	Present *bool   `json:"present,omitempty"`
	LastMR  *int    `json:"last_mr,omitempty"` // the next +CMGS answers last_mr+1
	SMSC    *string `json:"smsc,omitempty"`
}

func (e *engine) setSIM(s SIM) {
	if s.PUK != nil {
		e.sim.puk = *s.PUK
	}
	if s.PIN != nil {
		e.sim.pin = *s.PIN
		e.sim.state = simReady
		e.sim.attempts = 3
		e.sim.relock()
		if e.sim.puk == "" {
			e.sim.puk = "12345678"
		}
	}
	if s.Present != nil {
		e.sim.present = *s.Present
	}
	if s.LastMR != nil {
		e.sim.lastMR = *s.LastMR & 0xff
	}
	if s.SMSC != nil {
		e.sim.smsc = *s.SMSC
	}
	e.pump()
}
