package config

// Sync says how the agent reaches the chain's central server.
type Sync struct {
	Server string `toml:"server"` // base URL; empty means the store runs alone
}

func (s *Sync) applyDefaults() {}

func (s Sync) validate() []Problem { return nil }
