package input

import (
	"bytes"
	"io"
)

// oleMagic starts an OLE compound file: an Excel 97-2003 .xls, a WPS .et,
// or an encrypted (password-protected) .xlsx, which Office wraps in one.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// encryptedStream is the UTF-16LE name of the stream that holds the package
// of an encrypted OOXML file ("EncryptedPackage").
var encryptedStream = func() []byte {
	var b []byte
	for _, c := range "EncryptedPackage" {
		b = append(b, byte(c), 0)
	}
	return b
}()

// oleEncrypted reports whether the OLE compound file r is an encrypted
// OOXML package. It looks for the stream name in the directory sectors,
// reading the file in chunks (the directory may sit anywhere).
func oleEncrypted(r io.ReaderAt) bool {
	const chunk = 1 << 20
	buf := make([]byte, chunk+len(encryptedStream))
	for off := int64(0); ; off += chunk {
		n, err := r.ReadAt(buf, off)
		if bytes.Contains(buf[:n], encryptedStream) {
			return true
		}
		if err != nil || n < len(buf) {
			return false
		}
	}
}
