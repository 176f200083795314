// Package atomicfile replaces a file whole: a reader, or the file after a
// power cut, sees the old contents or the new, never part of either.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write puts b in the file path with mode perm: it writes a temporary file
// beside path, syncs it, renames it over path and syncs the directory. On
// an error path is as it was and no temporary file is left.
func Write(path string, b []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // the rename itself survives a power cut
		d.Close()
	}
	return nil
}
