//go:build windows

package batch

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckNotOpen_Windows: a results file Excel holds open (opened without
// sharing) is found before any order, with advice to close it; and -o
// PORTFOLIO.XLSX names the input portfolio.xlsx on a case-insensitive disk
// (issue 12 item 8).
func TestCheckNotOpen_Windows(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "results.xlsx")
	require.NoError(t, os.WriteFile(out, []byte("old"), 0o600))
	p, err := syscall.UTF16PtrFromString(out)
	require.NoError(t, err)
	h, err := syscall.CreateFile(p, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0 /* no sharing, as Excel */, nil, syscall.OPEN_EXISTING, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	require.NoError(t, err)
	err = checkPaths(filepath.Join(dir, "in.csv"), out, filepath.Join(dir, "s.qccstate"), "", "en")
	require.Error(t, err)
	assert.Contains(t, en(err), "close it in Excel")
	require.NoError(t, syscall.CloseHandle(h))
	assert.NoError(t, checkPaths(filepath.Join(dir, "in.csv"), out, filepath.Join(dir, "s.qccstate"), "", "en"))

	in := filepath.Join(dir, "portfolio.xlsx")
	require.NoError(t, os.WriteFile(in, []byte("x"), 0o600))
	err = checkPaths(in, filepath.Join(dir, "PORTFOLIO.XLSX"), filepath.Join(dir, "s.qccstate"), "", "en")
	require.Error(t, err)
	assert.Contains(t, en(err), "is the input file")
}
