package config

// Clock says what the agent may do about a wrong system clock. It always
// uses the network's time (from the modem) when the system clock is more
// than a minute off; SetSystem lets it set the system clock too, which a
// Pi with no battery clock and no internet needs for its logs and files.
type Clock struct {
	SetSystem bool `toml:"set_system"`
}
