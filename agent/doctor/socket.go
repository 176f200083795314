package doctor

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/tokrihq/tokri/agent/admin"
)

// socket checks the admin socket the console and CLI use: there while the
// agent runs, answering, and not open to everyone.
func (r *report) socket(o Options) {
	path := filepath.Join(o.Config.Agent.Data, admin.SocketName)
	fi, err := os.Stat(path)
	if os.IsNotExist(err) {
		r.warn("admin", "no admin socket: the agent is not running", "sudo systemctl start tokri; journalctl -u tokri -e if it does not stay up")
		return
	}
	if err != nil {
		r.fail("admin", err.Error(), "check the data directory's permissions")
		return
	}
	if fi.Mode()&os.ModeSocket == 0 {
		r.fail("admin", path+" is not a socket", "stop the agent, remove "+path+", start it again")
		return
	}
	if perm := fi.Mode().Perm(); perm&0o007 != 0 {
		r.fail("admin", fmt.Sprintf("%s is open to every user (mode %s): anyone could run the shop", path, perm), "sudo chmod o-rwx "+path+" (the agent makes it 0660)")
		return
	}
	c, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		r.fail("admin", "socket there but not answering: "+err.Error(), "a stale socket from a crash: sudo systemctl restart tokri")
		return
	}
	c.Close()
	r.ok("admin", fmt.Sprintf("%s answers (mode %s)", path, fi.Mode().Perm()))
}
