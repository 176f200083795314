package doctor

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// holder is a process with the modem's port open.
type holder struct {
	PID   int
	Comm  string // what /proc says the program is
	Agent bool   // "tokri run": the agent itself
}

// port checks the modem's serial port: it exists, the service user may
// use it, and nothing else has it open. It returns the agent when the
// agent holds the port (the modem is then asked through it), or nil.
func (r *report) port(o Options) (agent *holder) {
	p := o.Config.Modem.Port
	if p == "" {
		r.fail("port", "no modem port configured", "set modem.port in the config (/dev/tokri-modem with the package's udev rule)")
		return nil
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		fix := "plug the modem in and check it shows in lsusb; then ls -l /dev/ttyUSB* /dev/ttyACM*"
		if p == "/dev/tokri-modem" {
			fix += "; if the modem is there but /dev/tokri-modem is not, its VID:PID is missing from /usr/lib/udev/rules.d/60-tokri-modem.rules: set modem.port to its /dev/serial/by-id/ path"
		}
		r.fail("port", p+" does not exist", fix)
		return nil
	}
	fi, err := os.Stat(real)
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		r.fail("port", p+" is not a serial device", "set modem.port to the modem's AT port (ls /dev/serial/by-id/)")
		return nil
	}
	if err := access(real, false, o.User); err != nil {
		r.fail("port", "not usable: "+err.Error(), fmt.Sprintf("sudo usermod -aG dialout %s, or check the udev rule's GROUP", o.userName()))
	} else {
		name := p
		if real != p {
			name += " -> " + real
		}
		r.ok("port", name+" is there and usable")
	}

	holders := portHolders(o.Proc, real)
	var others []string
	fix := ""
	for i, h := range holders {
		if h.Agent {
			agent = &holders[i]
			continue
		}
		others = append(others, fmt.Sprintf("%s (pid %d)", h.Comm, h.PID))
		switch {
		case strings.EqualFold(h.Comm, "ModemManager"):
			fix = "sudo systemctl disable --now ModemManager (or check the udev rule sets ID_MM_DEVICE_IGNORE for this modem)"
		case strings.Contains(h.Comm, "getty"):
			fix = fmt.Sprintf("sudo systemctl mask --now serial-getty@%s.service (a login prompt is on the modem's port)", filepath.Base(real))
		case fix == "":
			fix = fmt.Sprintf("stop %s: only the agent may use the modem's port", h.Comm)
		}
	}
	switch {
	case len(others) > 0:
		r.fail("port owner", "also open in "+strings.Join(others, ", "), fix)
	case agent != nil:
		r.ok("port owner", fmt.Sprintf("held by the running agent (pid %d) alone", agent.PID))
	default:
		r.ok("port owner", "no other program has the port open")
	}
	return agent
}

// portHolders scans /proc/*/fd for the port's device, skipping this
// process. Processes the doctor may not look into (another user's, when
// not root) are not seen.
func portHolders(proc, dev string) []holder {
	self := os.Getpid()
	entries, _ := os.ReadDir(proc)
	var out []holder
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		fds, err := os.ReadDir(filepath.Join(proc, e.Name(), "fd"))
		if err != nil {
			continue
		}
		for _, fd := range fds {
			target, err := os.Readlink(filepath.Join(proc, e.Name(), "fd", fd.Name()))
			if err != nil || target != dev {
				continue
			}
			h := holder{PID: pid, Comm: readTrim(filepath.Join(proc, e.Name(), "comm"))}
			args := bytes.Split(readRaw(filepath.Join(proc, e.Name(), "cmdline")), []byte{0})
			if len(args) > 1 && strings.HasPrefix(filepath.Base(string(args[0])), "tokri") {
				switch string(args[1]) {
				case "run":
					h.Agent = true
				case "sim", "demo":
					// The virtual modem holds its own pty's far end.
					h.PID = 0
				}
			}
			if h.PID != 0 {
				out = append(out, h)
			}
			break
		}
	}
	return out
}

func readRaw(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}

func readTrim(path string) string { return strings.TrimSpace(string(readRaw(path))) }
