// Package version says which build of Tokri is running, so an operator's
// "tokri version" and a bug report name the same thing.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is stamped at build time by the Makefile:
//
//	-ldflags "-X github.com/tokrihq/tokri/internal/version.Version=$(git describe)"
//
// A plain "go build" leaves it empty and String falls back to what the Go
// toolchain recorded.
var Version string

// String is the version for people: the stamped one, else the module
// version or commit the toolchain recorded, else "dev".
func String() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "dev-" + rev
}

// Line is the one line "NAME version" prints: the version, the Go release
// and the platform it was built for (an ARMv6 build says arm/v6).
func Line(name string) string {
	arch := runtime.GOARCH
	if arch == "arm" {
		arch += "/v" + goarm()
	}
	return fmt.Sprintf("%s %s (%s, %s/%s)", name, String(), runtime.Version(), runtime.GOOS, arch)
}

// goarm is the GOARM the binary was built with, from its build settings.
func goarm() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "GOARM" {
				return s.Value
			}
		}
	}
	return "?"
}
