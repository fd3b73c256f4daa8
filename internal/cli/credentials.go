package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"unicode"

	"github.com/joho/godotenv"
	textunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// Names of the two credentials, in the environment and in a key file.
const (
	envKey    = "QCC_KEY"
	envSecret = "QCC_SECRET_KEY"
)

// maxKeyFileSize bounds what loadKeyFile reads: a key file is two short
// lines, so anything much larger is the wrong file (or /dev/zero).
const maxKeyFileSize = 64 << 10

// loadCredentials returns the API key and secret for a run: from keyFile
// alone when it is not empty (see loadKeyFile; the environment is then not
// consulted, so a stale variable never pairs with the file's other half),
// else from the environment variables QCC_KEY and QCC_SECRET_KEY read with
// getenv (os.Getenv in the program). Values are trimmed of surrounding
// whitespace. Every error is one line with exit code 2, names the missing
// or unusable variable, and never contains a key or secret value. A missing
// variable is reported in lang (--lang: zh or en).
func loadCredentials(keyFile string, getenv func(string) string, lang string) (key, secret string, err error) {
	if keyFile != "" {
		return loadKeyFile(keyFile)
	}
	key, secret = trimValue(getenv(envKey)), trimValue(getenv(envSecret))
	t := msg.For(lang)
	switch {
	case key == "" && secret == "":
		return "", "", &usageError{errors.New(t.Text(msg.CredNeither, t.Text(msg.CredHowTo, envKey)))}
	case key == "":
		return "", "", &usageError{errors.New(t.Text(msg.CredNoKey, t.Text(msg.CredHowTo, envKey)))}
	case secret == "":
		return "", "", &usageError{errors.New(t.Text(msg.CredNoSecret, t.Text(msg.CredHowTo, envSecret)))}
	}
	for _, v := range []struct{ name, value string }{{envKey, key}, {envSecret, secret}} {
		if problem := valueProblem(v.value); problem != "" {
			return "", "", usagef("the environment variable %s %s", v.name, problem)
		}
	}
	return key, secret, nil
}

// loadKeyFile reads the API key and secret from the key file at path (the
// --key-file flag), as QCC_KEY and QCC_SECRET_KEY.
//
// Permissions: on Unix a file that group or others may access at all (mode &
// 0o077 != 0, checked on the opened file, after symlinks) is refused, as ssh
// refuses such private keys, with an error that says "chmod 600 PATH". On
// Windows there is no such check: NTFS access is governed by ACLs, which Go's
// mode bits (always 0666 or 0444 there) do not show; keep the file in the
// service account's profile.
//
// Encoding: a UTF-8, UTF-16LE or UTF-16BE byte-order mark selects that
// encoding (Notepad writes UTF-8 with a BOM; PowerShell 5.1's > and Out-File
// write UTF-16LE with a BOM); without one the file is UTF-8. A file with NUL
// bytes and no BOM (UTF-16 without a BOM) is refused with a hint.
//
// Syntax: dotenv, parsed by github.com/joho/godotenv: NAME=value lines, an
// optional "export " prefix, 'single' or "double" quoted values, # comments
// (on their own line, or after a space following an unquoted value), blank
// lines and CRLF line ends. As in a shell, $NAME or ${NAME} in an unquoted or
// double-quoted value is replaced by an earlier variable of the file (or
// nothing), and \n, \" and the like are unescaped in double quotes: a secret
// holding $, # or \ belongs in single quotes.
//
// Values: surrounding whitespace is trimmed; an empty value, or one that
// still holds a space, a control character or anything but printable ASCII
// (API keys are ASCII) is refused. Other variables in the file are ignored.
// The names KEY and SECRET_KEY, accepted by earlier versions, only yield a
// hint to rename them.
//
// Every error has exit code 2, is one line, begins with "--key-file PATH:",
// names the missing or unusable variable where there is one, and never
// contains a value or any other text of the file (godotenv's own error
// messages quote the file, so they are never passed on).
func loadKeyFile(path string) (key, secret string, err error) {
	fail := func(format string, a ...any) error {
		return usagef("--key-file %s: %s", displayPath(path), fmt.Sprintf(format, a...))
	}
	f, err := os.Open(path)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "", "", fail("no such file")
		case errors.Is(err, fs.ErrPermission):
			return "", "", fail("permission denied: this user cannot read it")
		}
		return "", "", fail("cannot open it: %v", pathErrorCause(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", "", fail("cannot stat it: %v", pathErrorCause(err))
	}
	if fi.IsDir() {
		return "", "", fail("is a directory, not a key file")
	}
	if problem := keyFileModeProblem(path, fi.Mode()); problem != "" {
		return "", "", fail("%s", problem)
	}
	raw, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return "", "", fail("cannot read it: %v", pathErrorCause(err))
	}
	if len(raw) > maxKeyFileSize {
		return "", "", fail("is larger than %d KiB: a key file holds two lines, QCC_KEY=... and QCC_SECRET_KEY=...", maxKeyFileSize>>10)
	}
	text, problem := decodeKeyFile(raw)
	if problem != "" {
		return "", "", fail("%s", problem)
	}
	env, problem := parseKeyFile(text)
	if problem != "" {
		return "", "", fail("%s", problem)
	}
	key, hasKey := env[envKey]
	secret, hasSecret := env[envSecret]
	switch {
	case !hasKey && !hasSecret:
		if _, ok := env["KEY"]; ok {
			return "", "", fail("has no QCC_KEY or QCC_SECRET_KEY: rename its KEY= and SECRET_KEY= lines to QCC_KEY= and QCC_SECRET_KEY=")
		}
		return "", "", fail("has no QCC_KEY or QCC_SECRET_KEY: it needs two lines, QCC_KEY=your-key and QCC_SECRET_KEY=your-secret")
	case !hasKey:
		if _, ok := env["KEY"]; ok {
			return "", "", fail("has no QCC_KEY: rename its KEY= line to QCC_KEY=")
		}
		return "", "", fail("has no QCC_KEY: add a line QCC_KEY=your-key")
	case !hasSecret:
		if _, ok := env["SECRET_KEY"]; ok {
			return "", "", fail("has no QCC_SECRET_KEY: rename its SECRET_KEY= line to QCC_SECRET_KEY=")
		}
		return "", "", fail("has no QCC_SECRET_KEY: add a line QCC_SECRET_KEY=your-secret")
	}
	key, secret = trimValue(key), trimValue(secret)
	for _, v := range []struct{ name, value string }{{envKey, key}, {envSecret, secret}} {
		if problem := valueProblem(v.value); problem != "" {
			return "", "", fail("%s %s", v.name, problem)
		}
	}
	return key, secret, nil
}

// decodeKeyFile turns the bytes of a key file into UTF-8 text, following a
// UTF-8, UTF-16LE or UTF-16BE byte-order mark (which it removes), else taking
// the file as UTF-8 (invalid bytes become U+FFFD, which valueProblem refuses
// in a value). It returns a problem, not an error, when the file holds NUL
// bytes without a BOM: UTF-16 that no BOM announces.
func decodeKeyFile(raw []byte) (text []byte, problem string) {
	hasBOM := bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}) ||
		bytes.HasPrefix(raw, []byte{0xFF, 0xFE}) || bytes.HasPrefix(raw, []byte{0xFE, 0xFF})
	if !hasBOM && bytes.IndexByte(raw, 0) >= 0 {
		return nil, "holds NUL bytes: UTF-16 without a byte-order mark? Save it as UTF-8 (or UTF-16 with a BOM)"
	}
	text, _, err := transform.Bytes(textunicode.BOMOverride(textunicode.UTF8.NewDecoder()), raw)
	if err != nil {
		// The decoders replace what they cannot decode; this is defensive.
		return nil, "is neither UTF-8 nor UTF-16 text"
	}
	return text, ""
}

// parseKeyFile parses dotenv text with godotenv. On a syntax error it
// returns a problem naming the first offending line, never godotenv's error,
// which quotes the file (and so the secret).
func parseKeyFile(text []byte) (env map[string]string, problem string) {
	env, err := godotenv.UnmarshalBytes(text)
	_, nameless := env[""] // a last line without "=" parses as a nameless value
	if err == nil && !nameless {
		return env, ""
	}
	// Find the first line that fails on its own. Each line is parsed alone
	// with its line end, so a valid value quoted across lines (which a key
	// file has no use for) can be blamed instead of a later line.
	lines := strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n")
	for i, line := range lines {
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		m, lerr := godotenv.UnmarshalBytes([]byte(line + "\n"))
		if _, bad := m[""]; lerr == nil && !bad {
			continue
		}
		if lerr != nil && strings.HasPrefix(lerr.Error(), "unterminated quoted value") {
			return nil, fmt.Sprintf("line %d: a quoted value has no closing quote", i+1)
		}
		return nil, fmt.Sprintf("line %d is not NAME=value (dotenv syntax: QCC_KEY=your-key)", i+1)
	}
	return nil, "is not in dotenv syntax (NAME=value lines, e.g. QCC_KEY=your-key)"
}

// trimValue removes surrounding whitespace, including the zero-width space
// and a stray byte-order mark that copying from documents leaves behind.
func trimValue(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200B' || r == '\uFEFF'
	})
}

// valueProblem says what is wrong with a trimmed key or secret, or "" when
// nothing is. It never quotes the value.
func valueProblem(v string) string {
	if v == "" {
		return "is empty"
	}
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		// cmd.exe's set NAME="value", Docker's --env-file and systemd's
		// Environment= keep the quotes: the API would answer "wrong key"
		// (exit 6) after the plan.
		return "is wrapped in quotes, which are kept as part of it (cmd.exe `set NAME=\"value\"`, docker --env-file): set it without the quotes"
	}
	for _, r := range v {
		if r <= ' ' || r > '~' {
			return "holds a space, a control character or a non-ASCII character: check the value and its quotes"
		}
	}
	return ""
}

// pathErrorCause returns the cause of an *fs.PathError (so that the path is
// not named twice), or err itself.
func pathErrorCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// displayPath shows path in a one-line message: as it is, in double quotes
// when it holds a space, and Go-quoted when it holds anything unprintable.
func displayPath(path string) string {
	for _, r := range path {
		if !strconv.IsPrint(r) {
			return strconv.Quote(path)
		}
	}
	if strings.ContainsAny(path, " \t") {
		return `"` + path + `"`
	}
	return path
}

// shellQuote quotes path for a POSIX shell command line, so that the
// suggested "chmod 600 PATH" can be pasted as it is.
func shellQuote(path string) string {
	safe := path != "" && strings.IndexFunc(path, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r))
	}) < 0
	if safe && !strings.HasPrefix(path, "-") {
		return path
	}
	if strings.HasPrefix(path, "-") {
		path = "./" + path // not an option of chmod
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}
