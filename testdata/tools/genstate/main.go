// Command genstate writes a state file of N records (default 1,000,000) for
// the replay benchmark: each company gets an order, a pending poll, a ready
// poll and a download record.
//
//	go run ./testdata/tools/genstate -n 1000000 -o big.qccstate
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/qccbatch/qccbatch/batch/journal"
)

func main() {
	n := flag.Int("n", 1_000_000, "records")
	out := flag.String("o", "bench.qccstate", "state file to write (must not exist)")
	flag.Parse()
	if err := gen(*out, *n); err != nil {
		fmt.Fprintln(os.Stderr, "genstate:", err)
		os.Exit(1)
	}
}

func gen(path string, n int) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists", path)
	}
	j, err := journal.Open(path, journal.Options{})
	if err != nil {
		return err
	}
	for i := 0; i < n/4; i++ {
		key := journal.Key{ID: fmt.Sprintf("91110108%09dX", i), Format: 1}
		no := fmt.Sprintf("ORD%012d", i)
		for _, err := range []error{
			j.Ordered(key, no),
			j.Polled(key, journal.Poll{OrderNo: no, Status: "P"}),
			j.Polled(key, journal.Poll{OrderNo: no, Status: "S", URL: "https://example.invalid/r/" + no + ".pdf"}),
			j.Downloaded(key, journal.File{Path: "reports/" + key.ID + "_" + no + ".pdf", SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}),
		} {
			if err != nil {
				return err
			}
		}
	}
	return j.Close()
}
