package config

// USSD is how shoppers reach the shop on a dialled code. An agent with
// [sync] set keeps a connection open to central, which takes the
// aggregator's callbacks and relays them; a store with a public address
// can take them itself on Listen instead (or as well).
type USSD struct {
	// Listen is an address ("0.0.0.0:8090") to serve aggregators'
	// callbacks on, at /ussd/{format}/{token}; empty serves none.
	Listen string `toml:"listen"`
	// Token is the secret last part of the direct callback path; required
	// with Listen, so only the aggregator who was given the URL can call.
	Token string `toml:"token"`
	// Relay keeps the connection to central open when [sync] is set:
	// idle, central's pings cost it some 54 KB of mobile data a day,
	// counted in [sync] daily_bytes. Default true.
	Relay *bool `toml:"relay"`
}

func (u *USSD) applyDefaults() {
	if u.Relay == nil {
		t := true
		u.Relay = &t
	}
}

func (u USSD) validate() []Problem {
	if u.Listen != "" && len(u.Token) < 16 {
		return []Problem{{Field: "ussd.token", Msg: "at least 16 characters when ussd.listen is set"}}
	}
	return nil
}
