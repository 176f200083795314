package doctor

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Free space below which the store is in danger (the agent stops taking
// messages off the SIM when the disk is full) and below which it is time
// to act.
const (
	freeFail = 20 << 20
	freeWarn = 200 << 20
)

// data checks the data directory: there, writable by the service user,
// and room to grow.
func (r *report) data(o Options) {
	dir := o.Config.Agent.Data
	fi, err := os.Stat(dir)
	switch {
	case os.IsNotExist(err):
		r.warn("data", dir+" does not exist yet", fmt.Sprintf("systemd makes it when tokri starts (StateDirectory); by hand: sudo install -d -o %s -g dialout -m 0750 %s", o.userName(), dir))
	case err != nil:
		r.fail("data", err.Error(), "check the disk and agent.data in the config")
	case !fi.IsDir():
		r.fail("data", dir+" is not a directory", "point agent.data at a directory")
	default:
		if err := access(dir, true, o.User); err != nil {
			r.fail("data", "not writable: "+err.Error(), fmt.Sprintf("sudo chown -R %s:dialout %s", o.userName(), dir))
		} else {
			r.ok("data", dir+" is writable")
		}
	}
	free, err := freeBytes(dir)
	if err != nil {
		r.warn("disk", "free space unknown: "+err.Error(), "")
		return
	}
	detail := fmt.Sprintf("%s free on the data directory's disk", human(free))
	switch {
	case free < freeFail:
		r.fail("disk", detail, "free space now: delete old files, or tokri compact; the agent leaves new messages on the SIM until there is room")
	case free < freeWarn:
		r.warn("disk", detail, "free some space soon (old logs: journalctl --vacuum-size=50M)")
	default:
		r.ok("disk", detail)
	}
}

// freeBytes is the space an unprivileged user may still write on the
// disk holding path, or its nearest existing parent.
func freeBytes(path string) (uint64, error) {
	for {
		var st syscall.Statfs_t
		err := syscall.Statfs(path, &st)
		if err == nil {
			return st.Bavail * uint64(st.Bsize), nil
		}
		parent := filepath.Dir(path)
		if !os.IsNotExist(err) || parent == path {
			return 0, err
		}
		path = parent
	}
}

func human(b uint64) string {
	switch {
	case b >= 10<<30:
		return fmt.Sprintf("%d GB", b>>30)
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(b)/(1<<30))
	default:
		return fmt.Sprintf("%d MB", b>>20)
	}
}
