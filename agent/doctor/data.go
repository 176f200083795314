package doctor

import (
	"fmt"
	"os"

	"github.com/tokrihq/tokri/agent/disk"
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
	free, err := disk.Free(dir)
	if err != nil {
		r.warn("disk", "free space unknown: "+err.Error(), "")
		return
	}
	detail := fmt.Sprintf("%s free on the data directory's disk", disk.Human(free))
	switch {
	case free < disk.Full:
		r.fail("disk", detail, "free space now: delete old files, or tokri compact; the agent leaves new messages on the SIM until there is room")
	case free < disk.Low:
		r.warn("disk", detail, "free some space soon (old logs: journalctl --vacuum-size=50M)")
	default:
		r.ok("disk", detail)
	}
}
