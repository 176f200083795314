package admin

import (
	"time"

	"github.com/tokrihq/tokri/agent/balance"
	agentclock "github.com/tokrihq/tokri/agent/clock"
	"github.com/tokrihq/tokri/agent/disk"
	"github.com/tokrihq/tokri/modem"
)

// Status is what "tokri status" shows. The agent supplies the parts only
// it knows (modem, daily cap, start time) through Options.Status; the
// server fills the queue counts from the store on every request.
type Status struct {
	Running   bool        `json:"running"` // false when read from the file with no agent
	Version   string      `json:"version,omitempty"`
	StartedAt time.Time   `json:"started_at,omitzero"`
	Now       time.Time   `json:"now"`
	Modem     ModemStatus `json:"modem"`
	Queues    Queues      `json:"queues"`
	// OpenOrders counts orders not yet delivered, rejected or cancelled,
	// by state.
	OpenOrders map[string]int `json:"open_orders,omitempty"`
	Items      int            `json:"catalog_items"`
	// Shop says whether the shop takes orders: paused from the store,
	// open by the hours from the agent.
	Shop ShopState `json:"shop"`
	// Sync is the central sync client's state; nil when the agent runs
	// without one. While no agent runs it holds only Pending.
	Sync *SyncStatus `json:"sync,omitempty"`
	// Balance is the SIM's balance as last checked; nil without
	// modem.balance_code.
	Balance *balance.Status `json:"balance,omitempty"`
	// Clock says whether the system clock is wrong and the network's time
	// is used instead; nil when read from the file with no agent.
	Clock *agentclock.Status `json:"clock,omitempty"`
	// Disk is the free space under the store; nil when read from the file.
	Disk *disk.Status `json:"disk,omitempty"`
	// StoreCommits counts the store's write transactions since the agent
	// started (each two fdatasyncs on the SD card); 0 when read from the
	// file.
	StoreCommits uint64 `json:"store_commits,omitempty"`
}

// ModemStatus is the modem's condition as the agent last saw it.
type ModemStatus struct {
	State        string    `json:"state"` // "" when the agent has no modem yet
	Registration string    `json:"registration,omitempty"`
	Registered   bool      `json:"registered"`
	Operator     string    `json:"operator,omitempty"`
	SIM          string    `json:"sim,omitempty"` // ready, pin, puk, none; "" before the modem was asked
	CSQ          int       `json:"csq"`           // 0..31, 99 unknown
	DBm          int       `json:"dbm"`           // 0 when unknown
	Bars         int       `json:"bars"`
	CheckedAt    time.Time `json:"checked_at,omitzero"`
	Reboots      int       `json:"reboots"`
	Recoveries   int       `json:"recoveries"`
	LastError    string    `json:"last_error,omitempty"`
}

// Queues are the store's counts that tell the operator whether messages
// are flowing.
type Queues struct {
	InboxPending int `json:"inbox_pending"` // inbound not yet handled
	Incomplete   int `json:"incomplete"`    // long messages waiting for parts
	Undecodable  int `json:"undecodable"`
	// OutboxWaiting is the sum of the three priorities below.
	OutboxWaiting      int  `json:"outbox_waiting"`
	OutboxReply        int  `json:"outbox_reply"`
	OutboxNotification int  `json:"outbox_notification"`
	OutboxBulk         int  `json:"outbox_bulk"`
	SentToday          int  `json:"sent_today"` // segments, in the SIM day
	DailyCap           int  `json:"daily_cap"`  // 0 means no cap; from the agent
	Capped             bool `json:"capped"`
	Failed             int  `json:"failed"` // lifetime sends that failed for good
	// What the outbox policy did today: replies dropped unsent (stale,
	// superseded, outbox full), numbers whose replies wait for their
	// share of the cap, and whether chat has used its part of the cap.
	DroppedToday int  `json:"dropped_today"`
	HeldNumbers  int  `json:"held_numbers"`
	ChatCapped   bool `json:"chat_capped"`
	NewCapped    bool `json:"new_capped"` // replies to numbers new today used their part`
}

// ModemFromHealth converts the modem's health for Status, so the agent's
// Status func can be one line.
func ModemFromHealth(h modem.Health) ModemStatus {
	return ModemStatus{
		State:        h.State.String(),
		Registration: h.Registration.String(),
		Registered:   h.Registration.Registered(),
		Operator:     h.Operator,
		SIM:          string(h.SIM),
		CSQ:          h.Signal.CSQ,
		DBm:          h.Signal.DBm,
		Bars:         h.Signal.Bars,
		CheckedAt:    h.CheckedAt,
		Reboots:      h.Reboots,
		Recoveries:   h.Recoveries,
		LastError:    h.LastError,
	}
}
