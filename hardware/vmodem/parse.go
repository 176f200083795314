package vmodem

import "strings"

// op is the form of an AT command.
type op int

const (
	opExec op = iota // AT+CMD or ATE1
	opRead           // AT+CMD?
	opTest           // AT+CMD=?
	opSet            // AT+CMD=args
)

// command is one command of a command line ("AT+CMGF=0;+CNMI=2,1" has two).
type command struct {
	name string // upper case: "+CMGS", "^CURC", "E", "&F", "S"
	op   op
	args string // raw text after '=' (or the digits of a basic command)
	ps   []param
}

// param is one comma-separated parameter.
type param struct {
	text   string // unquoted text
	quoted bool
	empty  bool
}

// findAT returns the command text after the "AT" prefix. Per V.250 characters
// before the prefix are ignored; ok is false if there is no prefix at all.
func findAT(line string) (string, bool) {
	for i := 0; i+1 < len(line); i++ {
		if (line[i] == 'A' || line[i] == 'a') && (line[i+1] == 'T' || line[i+1] == 't') {
			return line[i+2:], true
		}
	}
	return "", false
}

// parseCommands splits the text after "AT" into commands.
func parseCommands(s string) ([]command, error) {
	var cmds []command
	for {
		s = strings.TrimLeft(s, " ")
		if s == "" {
			return cmds, nil
		}
		c := s[0]
		switch {
		case c == ';':
			s = s[1:]
		case c == '+' || c == '^' || c == '$' || c == '%' || c == '*' || c == '#':
			var cmd command
			var err error
			cmd, s, err = parseExtended(s)
			if err != nil {
				return nil, err
			}
			cmds = append(cmds, cmd)
		case c == '&':
			if len(s) < 2 || !isLetter(s[1]) {
				return nil, errSyntax
			}
			i := skipDigits(s, 2)
			cmds = append(cmds, command{name: "&" + strings.ToUpper(s[1:2]), args: s[2:i]})
			s = s[i:]
		case c == 'D' || c == 'd':
			// Dial takes the rest of the command line.
			rest := s[1:]
			cmds = append(cmds, command{name: "D", op: opSet, args: rest})
			return cmds, nil
		case c == 'S' || c == 's':
			i := skipDigits(s, 1)
			if i == 1 {
				return nil, errSyntax
			}
			cmd := command{name: "S", args: s[1:i]}
			s = s[i:]
			switch {
			case strings.HasPrefix(s, "?"):
				cmd.op = opRead
				s = s[1:]
			case strings.HasPrefix(s, "="):
				j := skipDigits(s, 1)
				cmd.op = opSet
				cmd.ps = []param{{text: s[1:j], empty: j == 1}}
				s = s[j:]
			}
			cmds = append(cmds, cmd)
		case isLetter(c):
			i := skipDigits(s, 1)
			cmds = append(cmds, command{name: strings.ToUpper(s[:1]), args: s[1:i]})
			s = s[i:]
		default:
			return nil, errSyntax
		}
	}
}

// parseExtended parses "+NAME[=?|?|=args]" up to an unquoted ';'.
func parseExtended(s string) (command, string, error) {
	i := 1
	for i < len(s) && (isLetter(s[i]) || isDigit(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '!') {
		i++
	}
	if i == 1 {
		return command{}, "", errSyntax
	}
	cmd := command{name: strings.ToUpper(s[:i])}
	s = s[i:]
	switch {
	case strings.HasPrefix(s, "=?"):
		cmd.op = opTest
		s = s[2:]
	case strings.HasPrefix(s, "?"):
		cmd.op = opRead
		s = s[1:]
	case strings.HasPrefix(s, "="):
		cmd.op = opSet
		s = s[1:]
		end, err := argsEnd(s)
		if err != nil {
			return command{}, "", err
		}
		cmd.args = s[:end]
		s = s[end:]
		cmd.ps, err = splitParams(cmd.args)
		if err != nil {
			return command{}, "", err
		}
	default:
		cmd.op = opExec
	}
	s = strings.TrimLeft(s, " ")
	if s != "" && s[0] != ';' {
		return command{}, "", errSyntax
	}
	return cmd, s, nil
}

// argsEnd finds the unquoted ';' that ends an argument list.
func argsEnd(s string) (int, error) {
	in := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			in = !in
		case ';':
			if !in {
				return i, nil
			}
		}
	}
	if in {
		return 0, errSyntax
	}
	return len(s), nil
}

// splitParams splits on unquoted commas and unquotes.
func splitParams(s string) ([]param, error) {
	var ps []param
	var b strings.Builder
	in, quoted := false, false
	flush := func() {
		t := b.String()
		if !quoted {
			t = strings.TrimSpace(t)
		}
		ps = append(ps, param{text: t, quoted: quoted, empty: !quoted && t == ""})
		b.Reset()
		quoted = false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			if !in && strings.TrimSpace(b.String()) != "" {
				return nil, errSyntax
			}
			if !in {
				b.Reset()
			}
			in = !in
			quoted = true
		case c == ',' && !in:
			flush()
		case quoted && !in:
			if c != ' ' {
				return nil, errSyntax
			}
		default:
			b.WriteByte(c)
		}
	}
	if in {
		return nil, errSyntax
	}
	flush()
	return ps, nil
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// skipDigits returns the index of the first byte of s at or after i that
// is not a digit.
func skipDigits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}
