package doctor

import (
	"fmt"
	"os"
	"os/user"
	"slices"
	"strconv"
	"syscall"
)

// access says whether the service user may read and write path. Run as
// that user, it tries for real (open or create); run as root for another
// user, it reads owner, group and mode the way the kernel would.
func access(path string, dir bool, who string) error {
	if who == "" || isCurrentUser(who) {
		return tryAccess(path, dir)
	}
	u, err := user.Lookup(who)
	if err != nil {
		return fmt.Errorf("no user %q on this system", who)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	need := os.FileMode(06) // read and write
	if dir {
		need = 07 // list, create, enter
	}
	mode := fi.Mode().Perm()
	uid := strconv.FormatUint(uint64(st.Uid), 10)
	gid := strconv.FormatUint(uint64(st.Gid), 10)
	groups, _ := u.GroupIds()
	switch {
	case u.Uid == "0":
		return nil
	case u.Uid == uid:
		if (mode>>6)&need == need {
			return nil
		}
	case u.Gid == gid || slices.Contains(groups, gid):
		if (mode>>3)&need == need {
			return nil
		}
	default:
		if mode&need == need {
			return nil
		}
	}
	return fmt.Errorf("%s (owner %s, group %s, mode %s) is not open to %s", path, ownerName(uid), groupName(gid), mode, who)
}

func tryAccess(path string, dir bool) error {
	if dir {
		f, err := os.CreateTemp(path, ".doctor-*")
		if err != nil {
			return err
		}
		f.Close()
		return os.Remove(f.Name())
	}
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return err
	}
	return f.Close()
}

func isCurrentUser(name string) bool {
	u, err := user.Current()
	return err == nil && u.Username == name
}

func ownerName(uid string) string {
	if u, err := user.LookupId(uid); err == nil {
		return u.Username
	}
	return uid
}

func groupName(gid string) string {
	if g, err := user.LookupGroupId(gid); err == nil {
		return g.Name
	}
	return gid
}
