package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	textunicode "golang.org/x/text/encoding/unicode"
)

// Credentials used throughout: distinctive, so that a leak into an error
// message is found by a plain substring search.
const (
	testKey    = "K3yVALUEq7w"
	testSecret = "S3cr3tVALUEx9z"
)

// writeKeyFile writes content to a new key file with mode 0600 in a fresh
// temporary directory and returns its path.
func writeKeyFile(t testing.TB, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "qcc.env")
	require.NoError(t, os.WriteFile(p, content, 0o600))
	require.NoError(t, os.Chmod(p, 0o600)) // whatever the umask
	return p
}

// utf16 encodes s as UTF-16 with a byte-order mark, as PowerShell 5.1 writes.
func utf16(t testing.TB, order textunicode.Endianness, s string) []byte {
	t.Helper()
	b, err := textunicode.UTF16(order, textunicode.UseBOM).NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

// requireKeyFileError checks what every loadKeyFile error promises: exit
// code 2, one line, the key file named, no key or secret value, and the
// wanted fragments.
func requireKeyFileError(t *testing.T, err error, path string, want ...string) {
	t.Helper()
	require.Error(t, err)
	msg := err.Error()
	assert.Equal(t, exitUsage, exitCode(err), "exit 2: %v", err)
	assert.NotContains(t, msg, "\n", "one line")
	assert.Contains(t, msg, "--key-file "+path+": ")
	assert.NotContains(t, msg, testSecret)
	assert.NotContains(t, msg, testKey)
	for _, w := range want {
		assert.Contains(t, msg, w)
	}
	t.Log(msg)
}

func TestLoadKeyFile_SyntaxAndEncodings(t *testing.T) {
	plain := "QCC_KEY=" + testKey + "\nQCC_SECRET_KEY=" + testSecret + "\n"
	crlf := strings.ReplaceAll(plain, "\n", "\r\n")
	for _, tc := range []struct {
		name    string
		content []byte
		secret  string // wanted secret when not testSecret
	}{
		{"plain", []byte(plain), ""},
		{"no final line end", []byte(strings.TrimSuffix(plain, "\n")), ""},
		{"CRLF", []byte(crlf), ""},
		{"export", []byte("export QCC_KEY=" + testKey + "\nexport QCC_SECRET_KEY=" + testSecret + "\n"), ""},
		{"single quotes", []byte("QCC_KEY='" + testKey + "'\nQCC_SECRET_KEY='" + testSecret + "'\n"), ""},
		{"double quotes", []byte(`QCC_KEY="` + testKey + "\"\nQCC_SECRET_KEY=\"" + testSecret + "\"\n"), ""},
		{"export, quotes and CRLF", []byte("export QCC_KEY=\"" + testKey + "\"\r\nexport QCC_SECRET_KEY='" + testSecret + "'\r\n"), ""},
		{"comments and blank lines", []byte("# Qichacha credentials\n\n   \nQCC_KEY=" + testKey + " # the key\n\n# the secret:\nQCC_SECRET_KEY=" + testSecret + "\n\n"), ""},
		{"spaces around = and values", []byte("  QCC_KEY = " + testKey + "  \n\tQCC_SECRET_KEY =\t\"  " + testSecret + " \"\n"), ""},
		{"other variables ignored", []byte("OTHER=1\nQCC_KEY=" + testKey + "\nQCC_SECRET_KEY=" + testSecret + "\nQCC_PRICE=30\n"), ""},
		{"last definition wins", []byte("QCC_KEY=old\nQCC_SECRET_KEY=old\n" + plain), ""},
		{"single quotes keep $ and #", []byte("QCC_KEY=" + testKey + "\nQCC_SECRET_KEY='a$b#c'\n"), "a$b#c"},
		{"UTF-8 BOM (Notepad)", append([]byte{0xEF, 0xBB, 0xBF}, crlf...), ""},
		{"UTF-16LE BOM (PowerShell 5.1 > and Out-File)", utf16(t, textunicode.LittleEndian, crlf), ""},
		{"UTF-16LE BOM, export and quotes", utf16(t, textunicode.LittleEndian, "export QCC_KEY=\""+testKey+"\"\r\nexport QCC_SECRET_KEY='"+testSecret+"'\r\n"), ""},
		{"UTF-16BE BOM", utf16(t, textunicode.BigEndian, plain), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeKeyFile(t, tc.content)
			key, secret, err := loadKeyFile(p)
			require.NoError(t, err)
			want := testSecret
			if tc.secret != "" {
				want = tc.secret
			}
			assert.Equal(t, testKey, key)
			assert.Equal(t, want, secret)
		})
	}
}

func TestLoadKeyFile_Refusals(t *testing.T) {
	big := bytes.Repeat([]byte("# padding\n"), maxKeyFileSize/10+1)
	for _, tc := range []struct {
		name    string
		content []byte
		want    []string
	}{
		{"empty file", nil, []string{"has no QCC_KEY or QCC_SECRET_KEY"}},
		{"only comments", []byte("# nothing here\n\n"), []string{"has no QCC_KEY or QCC_SECRET_KEY"}},
		{"QCC_KEY missing", []byte("QCC_SECRET_KEY=" + testSecret + "\n"), []string{"has no QCC_KEY: add a line QCC_KEY="}},
		{"QCC_SECRET_KEY missing", []byte("QCC_KEY=" + testKey + "\n"), []string{"has no QCC_SECRET_KEY: add a line QCC_SECRET_KEY="}},
		{"old names", []byte("KEY=" + testKey + "\nSECRET_KEY=" + testSecret + "\n"), []string{"rename its KEY= and SECRET_KEY= lines"}},
		{"old secret name", []byte("QCC_KEY=" + testKey + "\nSECRET_KEY=" + testSecret + "\n"), []string{"has no QCC_SECRET_KEY: rename its SECRET_KEY= line"}},
		{"names are case-sensitive", []byte("qcc_key=" + testKey + "\nQCC_SECRET_KEY=" + testSecret + "\n"), []string{"has no QCC_KEY"}},
		{"empty key", []byte("QCC_KEY=\nQCC_SECRET_KEY=" + testSecret + "\n"), []string{"QCC_KEY is empty"}},
		{"empty secret", []byte("QCC_KEY=" + testKey + "\nQCC_SECRET_KEY=\n"), []string{"QCC_SECRET_KEY is empty"}},
		{"blank quoted secret", []byte("QCC_KEY=" + testKey + "\nQCC_SECRET_KEY=\"   \"\n"), []string{"QCC_SECRET_KEY is empty"}},
		{"secret with inner space", []byte("QCC_KEY=" + testKey + "\nQCC_SECRET_KEY=\"" + testSecret + " x\"\n"), []string{"QCC_SECRET_KEY holds a space"}},
		{"secret in invalid UTF-8", []byte("QCC_KEY=" + testKey + "\nQCC_SECRET_KEY=" + testSecret + "\xff\xfe\n"), []string{"QCC_SECRET_KEY holds"}},
		{"secret with Chinese text", []byte("QCC_KEY=" + testKey + "\nQCC_SECRET_KEY=密钥" + testSecret + "\n"), []string{"QCC_SECRET_KEY holds", "non-ASCII"}},
		{"unterminated quote", []byte("QCC_KEY=" + testKey + "\nQCC_SECRET_KEY=\"" + testSecret + "\n"), []string{"line 2: a quoted value has no closing quote"}},
		{"unterminated single quote, CRLF", []byte("# c\r\nQCC_KEY='" + testKey + "\r\nQCC_SECRET_KEY=" + testSecret + "\r\n"), []string{"line 2: a quoted value has no closing quote"}},
		{"line without =", []byte("QCC_KEY " + testKey + "\nQCC_SECRET_KEY=" + testSecret + "\n"), []string{"line 1 is not NAME=value"}},
		{"bad name", []byte("QCC_KEY=" + testKey + "\n\nQCC-SECRET-KEY=" + testSecret + "\n"), []string{"line 3 is not NAME=value"}},
		{"only the secret pasted", []byte("QCC_KEY=" + testKey + "\n" + testSecret), []string{"line 2 is not NAME=value"}},
		{"UTF-16LE without BOM", utf16(t, textunicode.LittleEndian, "QCC_KEY="+testKey+"\r\nQCC_SECRET_KEY="+testSecret+"\r\n")[2:], []string{"NUL bytes", "UTF-16 without a byte-order mark"}},
		{"too large", append([]byte("QCC_KEY="+testKey+"\nQCC_SECRET_KEY="+testSecret+"\n"), big...), []string{"larger than 64 KiB"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeKeyFile(t, tc.content)
			key, secret, err := loadKeyFile(p)
			requireKeyFileError(t, err, p, tc.want...)
			assert.Empty(t, key)
			assert.Empty(t, secret)
		})
	}
}

func TestLoadKeyFile_NotAFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.env")
	_, _, err := loadKeyFile(missing)
	requireKeyFileError(t, err, missing, "no such file")

	_, _, err = loadKeyFile(dir)
	requireKeyFileError(t, err, dir, "is a directory")
}

func TestLoadKeyFile_Permissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no mode bits to check: loadKeyFile documents that it does not check")
	}
	content := []byte("QCC_KEY=" + testKey + "\nQCC_SECRET_KEY=" + testSecret + "\n")
	for _, tc := range []struct {
		mode os.FileMode
		ok   bool
	}{
		{0o600, true}, {0o400, true}, {0o700, true},
		{0o644, false}, {0o640, false}, {0o604, false}, {0o660, false}, {0o620, false}, {0o601, false}, {0o666, false},
	} {
		t.Run(fmt.Sprintf("%04o", tc.mode), func(t *testing.T) {
			p := writeKeyFile(t, content)
			require.NoError(t, os.Chmod(p, tc.mode))
			key, secret, err := loadKeyFile(p)
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, testKey, key)
				assert.Equal(t, testSecret, secret)
				return
			}
			requireKeyFileError(t, err, p, fmt.Sprintf("permissions %04o are too open", tc.mode), "chmod 600 "+p)
		})
	}

	t.Run("the target of a symlink is checked", func(t *testing.T) {
		target := writeKeyFile(t, content)
		link := filepath.Join(t.TempDir(), "link.env")
		require.NoError(t, os.Symlink(target, link))
		_, _, err := loadKeyFile(link)
		require.NoError(t, err)
		require.NoError(t, os.Chmod(target, 0o644))
		_, _, err = loadKeyFile(link)
		requireKeyFileError(t, err, link, "permissions 0644 are too open", "chmod 600 "+link)
	})

	t.Run("a path with a space is quoted for the shell", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "my keys.env")
		require.NoError(t, os.WriteFile(p, content, 0o600))
		require.NoError(t, os.Chmod(p, 0o644))
		_, _, err := loadKeyFile(p)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `--key-file "`+p+`": `)
		assert.Contains(t, err.Error(), "chmod 600 '"+p+"'")
	})

	t.Run("unreadable by this user", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root reads any file")
		}
		p := writeKeyFile(t, content)
		require.NoError(t, os.Chmod(p, 0o000))
		_, _, err := loadKeyFile(p)
		requireKeyFileError(t, err, p, "permission denied")
	})
}

func TestLoadKeyFile_CredentialsFromEnvironmentOrFile(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(name string) string { return vars[name] }
	}
	file := writeKeyFile(t, []byte("QCC_KEY=filekey\nQCC_SECRET_KEY=filesecret\n"))
	for _, tc := range []struct {
		name             string
		keyFile          string
		vars             map[string]string
		wantKey, wantSec string
		wantErr          []string
	}{
		{name: "environment", vars: map[string]string{"QCC_KEY": testKey, "QCC_SECRET_KEY": testSecret}, wantKey: testKey, wantSec: testSecret},
		{name: "environment trimmed (CR from a Windows file)", vars: map[string]string{"QCC_KEY": " " + testKey + "\r", "QCC_SECRET_KEY": testSecret + "\r\n"}, wantKey: testKey, wantSec: testSecret},
		{name: "key file wins over the environment", keyFile: file, vars: map[string]string{"QCC_KEY": testKey, "QCC_SECRET_KEY": testSecret}, wantKey: "filekey", wantSec: "filesecret"},
		{name: "nothing set", vars: nil, wantErr: []string{"QCC_KEY and QCC_SECRET_KEY are not set", "--key-file", "$env:QCC_KEY", "--sandbox"}},
		{name: "key missing", vars: map[string]string{"QCC_SECRET_KEY": testSecret}, wantErr: []string{"QCC_KEY is not set"}},
		{name: "secret missing", vars: map[string]string{"QCC_KEY": testKey}, wantErr: []string{"QCC_SECRET_KEY is not set", "$env:QCC_SECRET_KEY"}},
		{name: "blank secret", vars: map[string]string{"QCC_KEY": testKey, "QCC_SECRET_KEY": "  "}, wantErr: []string{"QCC_SECRET_KEY is not set"}},
		{name: "secret with a space", vars: map[string]string{"QCC_KEY": testKey, "QCC_SECRET_KEY": testSecret + " x"}, wantErr: []string{"environment variable QCC_SECRET_KEY holds a space"}},
		// cmd.exe: set QCC_KEY="…" keeps the quotes; the API answered
		// "wrong key" (exit 6) after the plan.
		{name: "key wrapped in quotes", vars: map[string]string{"QCC_KEY": `"` + testKey + `"`, "QCC_SECRET_KEY": testSecret}, wantErr: []string{"environment variable QCC_KEY is wrapped in quotes", "without the quotes"}},
		{name: "secret wrapped in single quotes", vars: map[string]string{"QCC_KEY": testKey, "QCC_SECRET_KEY": "'" + testSecret + "'"}, wantErr: []string{"QCC_SECRET_KEY is wrapped in quotes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key, secret, err := loadCredentials(tc.keyFile, env(tc.vars), "en")
			if tc.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, tc.wantKey, key)
				assert.Equal(t, tc.wantSec, secret)
				return
			}
			require.Error(t, err)
			assert.Equal(t, exitUsage, exitCode(err))
			assert.NotContains(t, err.Error(), "\n")
			assert.NotContains(t, err.Error(), testSecret)
			assert.NotContains(t, err.Error(), testKey)
			for _, w := range tc.wantErr {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// TestLoadKeyFile_SecretNeverInErrors puts the secret in every broken
// position a person could put it and greps every error text for it.
func TestLoadKeyFile_SecretNeverInErrors(t *testing.T) {
	for i, content := range []string{
		"QCC_SECRET_KEY=\"" + testSecret,
		"QCC_SECRET_KEY='" + testSecret + "\nQCC_KEY=" + testKey,
		testSecret + "\n",
		testSecret + " " + testKey + "\n",
		"QCC_KEY " + testKey + "\nQCC_SECRET_KEY " + testSecret + "\n",
		"QCC_SECRET_KEY=" + testSecret + "\n",
		"QCC_KEY=" + testKey + "\n",
		"QCC_KEY=" + testKey + "\nQCC_SECRET_KEY=" + testSecret + " with space\n",
		"QCC_KEY=" + testKey + "\nQCC_SECRET_KEY=" + testSecret + "\x01\n",
		"QCC_KEY=" + testKey + "\n" + testSecret + "=QCC_SECRET_KEY\n",
		"QCC_KEY=" + testKey + "\nQCC SECRET KEY=" + testSecret + "\n",
		"QCC_KEY=" + testKey + "\nQCC_SECRET_KEY=" + testSecret + "\x00\n",
		"{\"QCC_KEY\": \"" + testKey + "\", \"QCC_SECRET_KEY\": \"" + testSecret + "\"}",
		"QCC_KEY: " + testKey + "\nQCC_SECRET_KEY: '" + testSecret,
	} {
		p := writeKeyFile(t, []byte(content))
		_, _, err := loadKeyFile(p)
		require.Error(t, err, "case %d", i)
		assert.NotContains(t, err.Error(), testSecret, "case %d: %q", i, content)
		assert.NotContains(t, err.Error(), testKey, "case %d: %q", i, content)
		assert.NotContains(t, err.Error(), "\n", "case %d", i)
	}
}

// FuzzLoadKeyFile feeds arbitrary key files to loadKeyFile, once as they
// are and once with a secret line spliced in at an arbitrary place: it never
// panics, its errors are one line naming the file and never hold the secret,
// and what it accepts is two non-empty printable-ASCII values.
func FuzzLoadKeyFile(f *testing.F) {
	f.Add([]byte("QCC_KEY=abc\nQCC_SECRET_KEY=def\n"), uint64(0))
	f.Add([]byte("export QCC_KEY='abc'\r\nexport QCC_SECRET_KEY=\"def\"\r\n# c\r\n"), uint64(7))
	f.Add([]byte("QCC_KEY=\"abc\n"), uint64(3))
	f.Add([]byte("\xEF\xBB\xBFQCC_KEY=abc\r\n"), uint64(4))
	f.Add([]byte("\xFF\xFEQ\x00C\x00C\x00_\x00K\x00E\x00Y\x00=\x00a\x00\r\x00\n\x00"), uint64(9))
	f.Add([]byte("\xFE\xFF\x00Q\x00="), uint64(1))
	f.Add([]byte("A=$B ${C} \\\"x\\n\nB='\\''\n:=\n=\n"), uint64(2))
	f.Add([]byte("QCC_KEY=x\nexport\nexport \n'\n\"\n"), uint64(11))
	dir := f.TempDir()
	path := filepath.Join(dir, "k.env")
	f.Fuzz(func(t *testing.T, content []byte, seed uint64) {
		secret := fmt.Sprintf("sk%016xZ", seed)
		at := 0
		if len(content) > 0 {
			at = int(seed % uint64(len(content)+1))
		}
		spliced := append(append(append([]byte{}, content[:at]...), "QCC_SECRET_KEY="+secret+"\n"...), content[at:]...)
		for _, c := range [][]byte{content, spliced} {
			require.NoError(t, os.WriteFile(path, c, 0o600))
			key, sec, err := loadKeyFile(path)
			if err != nil {
				msg := err.Error()
				require.NotContains(t, msg, "\n", "bad error text for %q: not one line", c)
				require.Contains(t, msg, path, "bad error text for %q: the file is not named", c)
				require.NotContains(t, msg, secret, "bad error text for %q: it holds the secret", c)
				continue
			}
			require.Empty(t, valueProblem(key), "accepted an unusable key %q from %q", key, c)
			require.Empty(t, valueProblem(sec), "accepted an unusable secret %q from %q", sec, c)
		}
	})
}
