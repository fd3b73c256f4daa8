package qcctest_test

import "crypto/md5"

func md5sum(s string) [16]byte { return md5.Sum([]byte(s)) }
