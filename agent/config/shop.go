package config

// Shop holds what shoppers see of the store: its name, hours, money rules
// and who may run it by SMS.
type Shop struct {
	Name string `toml:"name"`
}

func (s *Shop) applyDefaults() {
	if s.Name == "" {
		s.Name = "Tokri Store"
	}
}

func (s Shop) validate() []Problem { return nil }
