//go:build !windows

package batch

import "os"

// journalSyncDir makes a rename or a file creation in dir durable.
func journalSyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
