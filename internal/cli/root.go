package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// defaultMemoryLimit is the Go runtime's soft memory limit (see
// runtime/debug.SetMemoryLimit): the collector works harder as the heap
// approaches it, so a 1,000,000-row run stays under 1 GB.
const defaultMemoryLimit = 700 << 20

// version is the whole version line (see version.go): from the embedded
// build information until Main sets it from the release build's -ldflags.
var version = describeBuildInfo(Build{})

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "qccbatch",
		Short:         "Order Qichacha basic identity reports (基础身份报告) for a whole portfolio",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
		Args:          cobra.ArbitraryArgs,
		RunE:          unknownCommand,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usagef("%v (see '%s --help')", err, c.CommandPath())
	})
	root.SetHelpCommand(newHelpCmd())
	root.AddCommand(
		newRunCmd(),
		newStatusCmd(),
		newExportCmd(),
		newValidateCmd(),
		newSandboxCmd(),
		newRepairCmd(),
		newResolveCmd(),
		newLedgerCmd(),
		newServeCmd(),
		newVersionCmd(),
	)
	return root
}

// newHelpCmd is `qccbatch help [COMMAND]`: cobra's, except that an unknown
// topic (a typo) is a usage error, one line and exit 2, rather than the
// root's help and exit 0.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  "Help provides help for any command in the application.",
		Args:  cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || cmd == nil || (cmd == c.Root() && len(rest) > 0) {
				return usagef("unknown help topic %q (see 'qccbatch --help')", strings.Join(args, " "))
			}
			cmd.InitDefaultHelpFlag()
			cmd.InitDefaultVersionFlag()
			return cmd.Help()
		},
	}
}

// execute runs the command line and returns the process exit code.
func execute(ctx context.Context, args []string) int {
	return executeRoot(ctx, newRootCmd(), args, os.Stderr)
}

// executeRoot runs root with args and returns the exit code, the error
// line written on stderr. A panic of the command (a bug) is one line and
// exit 1, "internal error" (SPEC "Exit codes"), not the runtime's stack
// trace and exit 2, which would tell a scheduler that nothing was ordered.
func executeRoot(ctx context.Context, root *cobra.Command, args []string, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			what := strings.Join(strings.Fields(fmt.Sprint(r)), " ")
			fmt.Fprintf(stderr, "qccbatch: internal error (a bug: please report it with the output of 'qccbatch version'): %s\n", what)
			code = exitInternal
		}
	}()
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, errorLine(cmd, err))
	return exitCode(err)
}

// errorLine is the line that ends a failed command: its error rendered in
// the command's --lang, once, here (the library returns messages).
func errorLine(cmd *cobra.Command, err error) string {
	return "qccbatch: " + msg.Render(err, msg.For(cmdLang(cmd)))
}

// cmdLang is the --lang of the command that ran ("" without one: zh).
// Errors are rendered in it here, once: the library returns messages.
func cmdLang(cmd *cobra.Command) string {
	if cmd == nil {
		return ""
	}
	if f := cmd.Flags().Lookup("lang"); f != nil {
		return f.Value.String()
	}
	return ""
}

// defaultArgs is the command line to run: `serve --open` for qccbatch.exe
// double-clicked on Windows (no arguments, a console of its own), where the
// help text would flash and vanish; args otherwise.
func defaultArgs(args []string, doubleClicked bool) []string {
	if len(args) == 0 && doubleClicked {
		return []string{"serve", "--open"}
	}
	return args
}

// runLang is the --lang of the run going on, for the interrupt messages of
// Main's signal handler ("" until a run starts: zh).
var runLang langValue

// langValue is a language read and written from different goroutines.
type langValue struct{ v atomic.Value }

func (l *langValue) Store(lang string) { l.v.Store(lang) }

func (l *langValue) Load() string {
	s, _ := l.v.Load().(string)
	return s
}

// Main runs the program with args (the command line without the program
// name) and returns the process exit code (SPEC "Exit codes"); b is the
// version a release build set with -ldflags. It sets the runtime's memory
// limit and handles Ctrl-C, SIGTERM and SIGHUP; a second signal exits 4 at once.
func Main(args []string, b Build) int {
	version = describeBuildInfo(b)
	args = defaultArgs(args, doubleClicked())
	// The first Ctrl-C, SIGTERM or SIGHUP (a closed terminal or SSH
	// session) cancels the root context: the run stops
	// ordering, lets requests in flight finish, writes the state and the
	// results, and exits 4. A second one exits at once: every record is
	// written to the state file before it is acknowledged, so the file is
	// consistent at any instant. On Windows, closing the console window,
	// logging off and shutting down arrive as SIGTERM (the Go runtime maps
	// CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT and CTRL_SHUTDOWN_EVENT to it and
	// holds the handler open), handled the same way with a shorter grace
	// (windowsGrace), since Windows ends the process about 5 s later.
	if os.Getenv("GOMEMLIMIT") == "" {
		// Keep the heap near the live data on million-row portfolios instead
		// of letting the collector wait for twice as much; GOMEMLIMIT overrides.
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// A closed terminal or SSH session leaves stdout and stderr broken
	// pipes: ignoring SIGPIPE makes a write there fail instead of killing
	// the run before it writes the state and the results.
	signal.Ignore(syscall.SIGPIPE)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		<-sigs
		printLine(os.Stderr, msg.Text(runLang.Load(), msg.Interrupted))
		cancel()
		<-sigs
		printLastLine(os.Stderr, msg.Text(runLang.Load(), msg.InterruptedTwice))
		os.Exit(4)
	}()
	return execute(ctx, args)
}
