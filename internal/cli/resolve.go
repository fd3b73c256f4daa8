package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/client"
)

func newResolveCmd() *cobra.Command {
	var cfg batch.ResolveConfig
	var format, lang, baseURL, keyFile string
	var sandbox bool
	cmd := &cobra.Command{
		Use:   "resolve [--apply] (--orders LIST [--absent-not-ordered] [--orders-tz TZ] | --key K (--order-no N | --not-ordered)) STATE",
		Short: "Settle uncertain rows from the vendor's order list (preview without --apply)",
		Long: `Settle the companies a run left uncertain (an order may have been placed, but no usable
answer came) from the order list exported from Qichacha's web console (xlsx or csv; columns
订单号 / 订单编号 / OrderNo, 查询关键字 / 企业名称 / 统一社会信用代码 / searchKey, 下单时间 optional):

  - an uncertain company found in the list (ordered no earlier than 5 minutes before its request,
    when the list has times) becomes pending with that order number: the next run polls it and
    orders nothing;
  - with --absent-not-ordered, an uncertain company absent from the list becomes not_ordered (the
    next run orders it); refused when the list's time span does not cover its request;
  - an order in the list for a company of the state file that has none is added the same way;
    orders for companies the state file does not know are reported, not added.

The list is checked first, and refused (exit 2, nothing changed) naming the lines: one order
number for two companies, or a number the state file has for another company; order times in
the future or before the state file began (times without an offset are China time, UTC+8, unless
--orders-tz says otherwise); with --absent-not-ordered, an order of the state file within the
list's span that is not in it under its company (the list is not complete). A company matches a
line by its name or its code, whichever it was ordered by.

One company by hand: --key K --order-no N, or --key K --not-ordered. An order number of another
company, or an earlier order of the same company, is refused; with --apply the number is checked
with one GetReportInfo (credentials as for run: QCC_KEY and QCC_SECRET_KEY, or --key-file;
--base-url; --sandbox) and refused if the API does not know it. --not-ordered also undoes an
--order-no resolution while the company is pending with it.
Without --apply it prints what it would do and changes nothing. Every resolution is recorded in
the state file with who, when and the list's SHA-256 (qccbatch ledger --runs shows them). It
needs the state file's lock: it is refused while a run is going.`,
		Args: exactArgs(1, "STATE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.State, cfg.Version = args[0], version
			if cfg.Orders != "" && cfg.Key != "" {
				return usagef("resolve takes --orders or --key, not both")
			}
			if cfg.AbsentNotOrdered && cfg.Orders == "" {
				return usagef("--absent-not-ordered needs --orders LIST")
			}
			if cfg.OrdersTZ != "" && cfg.Orders == "" {
				return usagef("--orders-tz needs --orders LIST")
			}
			if sandbox && cmd.Flags().Changed("base-url") { // which API checks the number? never guess
				return usagef("--sandbox uses the built-in sandbox API and takes no --base-url: drop one of them")
			}
			f, err := (&outputFlags{lang: lang, format: format}).check()
			if err != nil {
				return err
			}
			cfg.Format = int(f)
			if cfg.Key != "" && cfg.OrderNo != "" && cfg.Apply {
				api, stop, err := resolveAPI(baseURL, keyFile, sandbox, lang)
				if err != nil {
					return err
				}
				defer stop()
				cfg.API = api
			}
			plan, err := batch.Resolve(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			printResolve(cmd.OutOrStdout(), lang, plan)
			return nil
		},
	}
	fl := cmd.Flags()
	addLangFlag(fl, &lang)
	fl.BoolVar(&cfg.Apply, "apply", false, "make the changes (without it, only say what would change)")
	fl.StringVar(&cfg.Orders, "orders", "", "the order list exported from Qichacha's web console (.xlsx or .csv)")
	fl.BoolVar(&cfg.AbsentNotOrdered, "absent-not-ordered", false, "uncertain companies absent from the list become not_ordered (the next run orders them)")
	fl.StringVar(&cfg.Key, "key", "", "one company: its credit code, registration number or name as in the input")
	fl.StringVar(&cfg.OrderNo, "order-no", "", "with --key: the company's order number in Qichacha's order list")
	fl.BoolVar(&cfg.NotOrdered, "not-ordered", false, "with --key: Qichacha's order list has no order for it")
	fl.StringVar(&format, "format", "pdf", "report format of the orders: pdf or word")
	fl.StringVar(&cfg.OrdersTZ, "orders-tz", "", "time zone of the list's times that carry no offset, e.g. +08:00, UTC, Asia/Shanghai [China time, UTC+8]")
	fl.StringVar(&baseURL, "base-url", client.DefaultBaseURL, "API base URL (to check --order-no)")
	fl.StringVar(&keyFile, "key-file", "", "file with QCC_KEY=... and QCC_SECRET_KEY=... lines (to check --order-no)")
	fl.BoolVar(&sandbox, "sandbox", false, "check --order-no with the built-in sandbox API (a --sandbox run's state file)")
	return cmd
}

// resolveAPI is the client that checks an order number given by hand:
// the built-in sandbox, or the API with the run's credentials. stop ends
// the sandbox.
func resolveAPI(baseURL, keyFile string, sandbox bool, lang string) (batch.ReportInfoAPI, func(), error) {
	t, stop, err := openAPITarget(sandbox, baseURL, keyFile, lang)
	if err != nil {
		return nil, stop, err
	}
	c, err := client.New(t.baseURL, t.key, t.secret)
	if err != nil {
		stop()
		return nil, func() {}, usagef("--base-url: %v", err)
	}
	return c, stop, nil
}

// printResolve says what a resolution did, or would do.
func printResolve(w io.Writer, lang string, p *batch.ResolvePlan) {
	t := msg.For(lang)
	verb := msg.ResolveWould
	if p.Applied {
		verb = msg.ResolveDid
	}
	for _, a := range p.Actions {
		to := t.Text(msg.ResolvePending, a.OrderNo)
		if a.NotOrdered {
			to = t.Text(msg.ResolveNotOrdered)
		}
		fmt.Fprint(w, t.Text(verb, a.SearchKey, to, a.Why))
	}
	for _, o := range p.Unknown {
		fmt.Fprint(w, t.Text(msg.ResolveUnknown, o.OrderNo, o.SearchKey, o.Line))
	}
	totals := msg.ResolveTotals
	if !p.Applied {
		totals = msg.ResolveWouldTotals
	}
	fmt.Fprint(w, t.Text(totals, len(p.Actions), p.Remaining, len(p.Unknown)))
	if p.DamageCleared {
		fmt.Fprint(w, t.Text(msg.ResolveDamageCleared, p.Damage.At.Local().Format(time.RFC3339)))
	}
	if !p.Applied && (len(p.Actions) > 0 || p.Damage != nil) {
		fmt.Fprint(w, t.Text(msg.ResolveDryRun))
	}
}
