package config

import (
	"bufio"
	"strings"
)

// indexKeys maps each dotted key to the line it is set on. The TOML library
// reports lines for syntax errors only; a value that parses but makes no
// sense (a baud of 12) must still point the operator at its line.
func indexKeys(src string) map[string]int {
	lines := make(map[string]int)
	table := ""
	sc := bufio.NewScanner(strings.NewReader(src))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
			continue
		case strings.HasPrefix(l, "["):
			name := strings.Trim(l, "[] \t")
			if i := strings.Index(name, "]"); i >= 0 {
				name = name[:i]
			}
			table = strings.TrimSpace(name)
			if _, ok := lines[table]; !ok {
				lines[table] = n
			}
			continue
		}
		eq := strings.Index(l, "=")
		if eq <= 0 {
			continue
		}
		key := strings.Trim(strings.TrimSpace(l[:eq]), `"'`)
		if table != "" {
			key = table + "." + key
		}
		if _, ok := lines[key]; !ok {
			lines[key] = n
		}
	}
	return lines
}
