// Package packaging holds the files the .deb packages install, and tests of
// the ones that are not Go: a mistake in them shows only on a store's box.
package packaging

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

const rulesFile = "60-tokri-modem.rules"

// udevKeys are the keys the rule file may use: a typo in a key makes udev
// drop the whole line, and the device silently goes unmatched.
var udevKeys = map[string]bool{
	"ACTION": true, "SUBSYSTEM": true, "SUBSYSTEMS": true, "ATTRS": true, "ENV": true,
	"IMPORT": true, "OPTIONS": true, "GROUP": true, "MODE": true, "SYMLINK": true,
	"GOTO": true, "LABEL": true,
}

var (
	// pair is one KEY{attr}OP"value" of a rule line, with the comma after it.
	pair = regexp.MustCompile(`^([A-Z]+)(?:\{([^}]+)\})?(==|!=|\+=|:=|=)"([^"]*)"(?:, |$)`)
	// source names a repository and a path in it.
	source = regexp.MustCompile(`source: [\w.-]+/[\w.-]+ [\w./-]+`)
	hexID  = regexp.MustCompile(`^[0-9a-f]{4}$`)
)

type rule struct {
	line  int
	pairs map[string]string // "KEY{attr}OP" -> value
}

// parseRules splits the file into rules the way udev reads it: one per
// line, comma-separated pairs, # comments on their own lines only. It also
// returns, for each rule, the comment line right above it.
func parseRules(t *testing.T, text string) (rules []rule, commentAbove map[int]string) {
	t.Helper()
	commentAbove = map[int]string{}
	prev := ""
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		switch {
		case strings.HasPrefix(line, "#"):
			prev = line
			continue
		case strings.TrimSpace(line) == "":
			prev = ""
			continue
		}
		r := rule{line: n, pairs: map[string]string{}}
		for rest := line; rest != ""; {
			m := pair.FindStringSubmatch(rest)
			if m == nil {
				t.Fatalf("%s:%d: cannot read %q (want KEY{attr}OP\"value\" pairs joined by \", \")", rulesFile, n, rest)
			}
			key, attr, op := m[1], m[2], m[3]
			if !udevKeys[key] {
				t.Errorf("%s:%d: unknown key %s", rulesFile, n, key)
			}
			name := key
			if attr != "" {
				name += "{" + attr + "}"
			}
			r.pairs[name+op] = m[4]
			rest = rest[len(m[0]):]
		}
		rules = append(rules, r)
		commentAbove[n] = prev
		prev = ""
	}
	return rules, commentAbove
}

func readRules(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRulesParse checks what udev 252 (bookworm) does not complain about
// but acts on: a GOTO whose label is missing skips nothing, and a line that
// cannot be read is dropped.
func TestRulesParse(t *testing.T) {
	rules, _ := parseRules(t, readRules(t))
	labels := map[string]bool{}
	for _, r := range rules {
		if l, ok := r.pairs["LABEL="]; ok {
			if labels[l] {
				t.Errorf("%s:%d: LABEL %q twice", rulesFile, r.line, l)
			}
			labels[l] = true
		}
	}
	for _, r := range rules {
		if g, ok := r.pairs["GOTO="]; ok && !labels[g] {
			t.Errorf("%s:%d: GOTO %q has no LABEL", rulesFile, r.line, g)
		}
	}
	if !labels["tokri_at_port"] || !labels["tokri_end"] {
		t.Fatalf("labels %v: want tokri_at_port and tokri_end", labels)
	}
}

// TestRulesEntriesHaveSources checks that every device line names its
// public source on the comment line above it, that its ids are written as
// udev reads sysfs (four lowercase hex digits), that no device is listed
// twice, and that its AT-port value leads to the link.
func TestRulesEntriesHaveSources(t *testing.T) {
	rules, above := parseRules(t, readRules(t))
	selects := map[string]bool{"bridge": false, "pcui": false} // values a later line acts on
	for _, r := range rules {
		if v, ok := r.pairs["ENV{.TOKRI_AT}=="]; ok && r.pairs["GOTO="] != "" {
			selects[v] = true
			if num, ok := r.pairs["ENV{ID_USB_INTERFACE_NUM}=="]; ok && num != v {
				t.Errorf("%s:%d: AT value %q selects interface %q", rulesFile, r.line, v, num)
			}
		}
	}
	seen := map[string]int{}
	entries := 0
	for _, r := range rules {
		at, ok := r.pairs["ENV{.TOKRI_AT}="]
		if !ok {
			continue
		}
		entries++
		vid, pid := r.pairs["ATTRS{idVendor}=="], r.pairs["ATTRS{idProduct}=="]
		id := fmt.Sprintf("%s:%s", vid, pid)
		if !hexID.MatchString(vid) || !hexID.MatchString(pid) {
			t.Errorf("%s:%d: ids %s: want four lowercase hex digits each", rulesFile, r.line, id)
		}
		if first, dup := seen[id]; dup {
			t.Errorf("%s:%d: %s already listed on line %d", rulesFile, r.line, id, first)
		}
		seen[id] = r.line
		if !source.MatchString(above[r.line]) {
			t.Errorf("%s:%d: %s has no \"source: owner/repo path\" comment above it (got %q)", rulesFile, r.line, id, above[r.line])
		}
		if !selects[at] {
			t.Errorf("%s:%d: %s: no rule links AT value %q", rulesFile, r.line, id, at)
		}
	}
	if entries < 20 {
		t.Errorf("%d device lines; the file lists bridges, Huawei, Quectel, ZTE and Telit", entries)
	}
}
