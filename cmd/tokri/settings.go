package main

import (
	"flag"

	"github.com/tokrihq/tokri/agent/config"
)

// settings are the flags every agent-side command shares: where the config
// file is and the few settings worth overriding on the command line.
type settings struct {
	configPath string
	port       string
	data       string
	logLevel   string
}

func (s *settings) register(fs *flag.FlagSet, withPort bool) {
	s.registerWhere(fs)
	fs.StringVar(&s.logLevel, "log-level", "", "`LEVEL`: debug, info, warn or error (overrides agent.log_level)")
	if withPort {
		fs.StringVar(&s.port, "port", "", "modem serial device `PATH` (overrides modem.port)")
	}
}

// registerWhere registers the flags that say where the agent's config
// and data are, which every command on the store takes.
func (s *settings) registerWhere(fs *flag.FlagSet) {
	fs.StringVar(&s.configPath, "config", "", "config `FILE` (default "+config.DefaultPath+" if it exists)")
	fs.StringVar(&s.data, "data", "", "data `DIR` (overrides agent.data)")
}

// load reads the config file, if any (config.Find), and applies the
// flags over it: the flag wins, then the file, then the default.
func (s *settings) load() (config.Config, error) {
	cfg, err := config.Find(s.configPath)
	if err != nil {
		return config.Config{}, err
	}
	s.apply(&cfg)
	return cfg, nil
}

// apply puts the flags over cfg.
func (s *settings) apply(cfg *config.Config) {
	if s.data != "" {
		cfg.Agent.Data = s.data
	}
	if s.port != "" {
		cfg.Modem.Port = s.port
	}
	if s.logLevel != "" {
		cfg.Agent.LogLevel = s.logLevel
	}
}
