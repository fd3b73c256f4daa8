package cli

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/client"
	"github.com/qccbatch/qccbatch/internal/serve"
)

// serveFlags are the flags of `qccbatch serve`.
type serveFlags struct {
	addr, data, baseURL, keyFile, tlsCert, tlsKey, users, addUser, logFormat string
	qps, price                                                               float64
	concurrency, approveAbove                                                int
	pollInterval, sessionIdle, sessionMax                                    time.Duration
	open, sandbox                                                            bool
}

func newServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--data DIR] [--open] [--sandbox]",
		Short: "A web page to upload a sheet, confirm the plan, watch the run and download the results",
		Long: `Serve a web page (and a JSON API, see README) on loopback: drop a sheet, read the plan
(rows, invalid rows, duplicates, already done, new orders, cost, time), confirm, watch the
run live, stop or resume it, and download the results, the ledger and the reports.

Books (uploaded sheets), their state files and results live under --data, one state file
per book. Every run of the process shares one rate limit (--qps) and one API client.
Credentials as for run (QCC_KEY and QCC_SECRET_KEY, or --key-file), or --sandbox.

It prints its address with a per-launch token; only that address opens the page. A
non-loopback --addr (a team server) needs --tls-cert, --tls-key and --users FILE (one
NAME:BCRYPT-HASH per line; --add-user NAME appends one, the password read from the
terminal or stdin). --approve-above N makes a run of more than N new orders wait for a
second user's approval. A signed-in session ends after --session-idle without a request
and --session-max after its sign-in, or on Sign out; failed sign-ins are throttled.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on (loopback unless --tls-cert, --tls-key and --users are given); port 0 picks a free one")
	fl.StringVar(&f.data, "data", "", "directory of the books, state files and results [qccbatch in the user's config directory]")
	fl.BoolVar(&f.open, "open", false, "open the page in the browser")
	fl.BoolVar(&f.sandbox, "sandbox", false, "use the built-in sandbox API in-process: no credentials, no cost")
	fl.Float64Var(&f.qps, "qps", batch.DefaultQPS, "most API requests per second for the whole server, every run together; 0 = unlimited")
	fl.IntVar(&f.concurrency, "concurrency", batch.DefaultConcurrency, "most requests in flight per run")
	fl.Float64Var(&f.price, "price", 0, "price of one report in yuan (or QCC_PRICE): the plan shows the cost")
	fl.StringVar(&f.baseURL, "base-url", client.DefaultBaseURL, "API base URL")
	fl.StringVar(&f.keyFile, "key-file", "", "file with QCC_KEY=... and QCC_SECRET_KEY=... lines (dotenv syntax; must be chmod 600)")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "TLS certificate (PEM) of a team server")
	fl.StringVar(&f.tlsKey, "tls-key", "", "TLS private key (PEM) of a team server")
	fl.StringVar(&f.users, "users", "", "users file of a team server: NAME:BCRYPT-HASH lines")
	fl.StringVar(&f.addUser, "add-user", "", "append user NAME to --users (password from the terminal or stdin) and exit")
	fl.IntVar(&f.approveAbove, "approve-above", 0, "team server: a run of more than N new orders waits for a second user's approval (0 = never)")
	fl.DurationVar(&f.sessionIdle, "session-idle", serve.DefaultSessionIdle, "team server: sign in again after this long without a request")
	fl.DurationVar(&f.sessionMax, "session-max", serve.DefaultSessionMax, "team server: sign in again this long after signing in")
	fl.DurationVar(&f.pollInterval, "poll-interval", batch.DefaultPollInterval, "poll interval until a run has learned how long reports take")
	fl.StringVar(&f.logFormat, "log-format", "", "log format: text (logfmt) or json")
	return cmd
}

func runServe(cmd *cobra.Command, f *serveFlags) error {
	if f.addUser != "" {
		if f.users == "" {
			return usagef("--add-user needs --users FILE")
		}
		pw, err := readNewPassword(cmd, f.addUser)
		if err != nil {
			return err
		}
		if err := serve.AddUser(f.users, f.addUser, pw); err != nil {
			return usagef("%v", err)
		}
		fmt.Fprintf(cmd.OutOrStdout(), "added user %s to %s\n", f.addUser, f.users)
		return nil
	}
	if f.qps < 0 || f.concurrency < 1 || f.price < 0 || f.approveAbove < 0 {
		return usagef("--qps, --price and --approve-above must be >= 0 and --concurrency >= 1")
	}
	if f.sessionIdle <= 0 || f.sessionMax <= 0 {
		return usagef("--session-idle and --session-max must be > 0")
	}
	if err := positive("--poll-interval", f.pollInterval); err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(f.addr); err != nil {
		return usagef("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", f.addr)
	}
	team := !serve.IsLoopbackAddr(f.addr)
	if team && (f.tlsCert == "" || f.tlsKey == "" || f.users == "") {
		return usagef("--addr %s is not loopback: a team server needs --tls-cert, --tls-key and --users", f.addr)
	}
	if f.approveAbove > 0 && f.users == "" {
		return usagef("--approve-above needs --users: a second person approves")
	}
	var users map[string][]byte
	if f.users != "" {
		var err error
		if users, err = serve.LoadUsers(f.users); err != nil {
			return usagef("%v", err)
		}
	}
	var tlsCfg *tls.Config
	if f.tlsCert != "" || f.tlsKey != "" {
		cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
		if err != nil {
			return usagef("--tls-cert/--tls-key: %v", err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	data := f.data
	if data == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return usagef("no --data and no user config directory: %v", err)
		}
		data = filepath.Join(dir, "qccbatch")
	}
	logger, err := newLogger(cmd.ErrOrStderr(), f.logFormat, "en", false)
	if err != nil {
		return err
	}
	price, err := priceOf(cmd, f.price)
	if err != nil {
		return err
	}

	api, stopSandbox, err := openAPITarget(f.sandbox, f.baseURL, f.keyFile, "en")
	defer stopSandbox()
	if err != nil {
		return err
	}
	pollInterval := f.pollInterval
	if f.sandbox {
		if !cmd.Flags().Changed("poll-interval") {
			pollInterval = time.Second
		}
		data = filepath.Join(data, "sandbox") // a trial never touches the real books
	}
	c, err := client.New(api.baseURL, api.key, api.secret, client.WithLogger(logger))
	if err != nil {
		return usagef("--base-url: %v", err)
	}
	s, err := serve.New(serve.Options{
		Data: data, API: c, APIHost: c.Host(),
		Account: journal.Account{Endpoint: api.endpoint, KeyFingerprint: journal.Fingerprint(api.key)},
		QPS:     f.qps, Concurrency: f.concurrency, PollInterval: pollInterval, Price: price,
		Version: version, ExitCode: exitCode, ExitCodes: runExitCodes, LedgerWorkbook: ledgerWorkbook,
		Users: users, ApproveAbove: f.approveAbove, Logger: logger,
		SessionIdle: f.sessionIdle, SessionMax: f.sessionMax,
	})
	if err != nil {
		return usagef("%v", err)
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return usagef("--addr %s: %v", f.addr, err)
	}
	scheme, host := "http", "127.0.0.1"
	if tlsCfg != nil {
		scheme = "https"
	}
	if h, _, _ := net.SplitHostPort(f.addr); team {
		host = h
	} else if h == "localhost" || h == "::1" {
		host = h
	}
	s.Bind(ln)
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(cmd.Context(), ln, tlsCfg) }()
	u := s.URL(scheme, host)
	fmt.Fprintf(cmd.OutOrStdout(), "qccbatch serve: open %s   (data in %s; Ctrl-C stops)\n", u, data)
	if f.open {
		if err := openBrowser(u); err != nil {
			logger.Warn("could not open the browser: open the address above", "error", err)
		}
	}
	return <-errc
}

// ledgerWorkbook writes the ledger workbook of state (`qccbatch ledger -o
// out`), for the page's download.
func ledgerWorkbook(state, out, lang string) error {
	return runLedger(io.Discard, ledgerConfig{State: state, Out: out, Lang: lang})
}

// readNewPassword reads the password of a new user: twice from a terminal
// without echo, else one line of stdin.
func readNewPassword(cmd *cobra.Command, name string) (string, error) {
	in := cmd.InOrStdin()
	if fd, ok := in.(*os.File); ok && term.IsTerminal(int(fd.Fd())) {
		fmt.Fprintf(cmd.ErrOrStderr(), "password for %s: ", name)
		a, err := term.ReadPassword(int(fd.Fd()))
		fmt.Fprintln(cmd.ErrOrStderr())
		if err != nil {
			return "", err
		}
		fmt.Fprint(cmd.ErrOrStderr(), "again: ")
		b, err := term.ReadPassword(int(fd.Fd()))
		fmt.Fprintln(cmd.ErrOrStderr())
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", usagef("the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(in, 4<<10)).ReadString('\n')
	if err != nil && line == "" {
		return "", usagef("--add-user: no password on stdin")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// openBrowser opens url in the desktop's browser.
func openBrowser(url string) error {
	var c *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		c = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	case "darwin":
		c = exec.Command("open", url)
	default:
		c = exec.Command("xdg-open", url)
	}
	return c.Start()
}
