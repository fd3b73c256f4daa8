package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/spf13/pflag"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// metricsFlags are --metrics-file and --metrics-label: a Prometheus
// textfile for node_exporter's textfile collector, written at the end of
// every run (issue 20 item 5).
type metricsFlags struct {
	file   string
	labels []string
}

// AddFlags declares the metrics flags on f.
func (o *metricsFlags) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.file, "metrics-file", "", "write a Prometheus textfile (for node_exporter's textfile collector) here at the end of the run: last run and last success time, exit code, duration, rows by outcome, new orders, API calls, due rows by rating")
	f.StringArrayVar(&o.labels, "metrics-label", nil, "a label of every metric, NAME=VALUE (repeatable) [book=the input's base name]")
}

// labelsOf returns the labels of every metric of a run on input: book and
// the --metrics-label ones.
func (o *metricsFlags) labelsOf(input string) (prometheus.Labels, error) {
	labels := prometheus.Labels{"book": strings.TrimSuffix(filepath.Base(input), filepath.Ext(input))}
	for _, l := range o.labels {
		k, v, ok := strings.Cut(l, "=")
		k = strings.TrimSpace(k)
		if !ok || !model.LegacyValidation.IsValidLabelName(k) || strings.HasPrefix(k, "__") || k == "outcome" || k == "rating" {
			return nil, fmt.Errorf("--metrics-label %q: want NAME=VALUE, NAME of letters, digits and _", l)
		}
		labels[k] = v
	}
	return labels, nil
}

// check refuses, before anything is ordered, metrics flags that would
// only fail when the metrics file is written at the end of the run (after
// paying, with the run's own exit code): a malformed --metrics-label, one
// without --metrics-file, a --metrics-file whose folder does not exist.
func (o *metricsFlags) check() error {
	if o.file == "" {
		if len(o.labels) > 0 {
			return usagef("--metrics-label needs --metrics-file")
		}
		return nil
	}
	if _, err := o.labelsOf(""); err != nil {
		return &usageError{err}
	}
	if err := batch.CheckWritableDir(o.file); err != nil { // the check -o and --state get
		return usagef("--metrics-file %s: %s", o.file, msg.Render(err, "en"))
	}
	return nil
}

// runMetrics is what the metrics of one run are gathered from.
type runMetrics struct {
	flags *metricsFlags
	input string
	state string // the state file, once known: the last success comes from its run records
	start time.Time
	rep   *batch.RunSummary
}

// write writes the metrics file of a run that ended with err (nil: exit 0).
// A failure to write it is logged on stderr, never the run's error.
func (m *runMetrics) write(err error, stderr func(string)) {
	if m == nil || m.flags.file == "" {
		return
	}
	if werr := m.writeFile(err, time.Now()); werr != nil {
		stderr(fmt.Sprintf("--metrics-file %s: %v", m.flags.file, werr))
	}
}

func (m *runMetrics) writeFile(err error, now time.Time) error {
	labels, lerr := m.flags.labelsOf(m.input)
	if lerr != nil {
		return lerr
	}
	reg := prometheus.NewRegistry()
	gauge := func(name, help string, v float64) {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help, ConstLabels: labels})
		g.Set(v)
		reg.MustRegister(g)
	}
	code := exitCode(err)
	gauge("qccbatch_last_run_timestamp_seconds", "When the last run ended (Unix time).", float64(now.Unix()))
	last := now
	if code != exitOK { // replaying the state file costs time: only when needed
		last = m.lastSuccess()
	}
	if !last.IsZero() {
		gauge("qccbatch_last_success_timestamp_seconds", "When the last run that completed every row (exit 0) ended (Unix time).", float64(last.Unix()))
	}
	gauge("qccbatch_exit_code", "Exit code of the last run (0 complete, 2 usage or input, 3 stopped, 4 incomplete, 5 uncertain rows, 6 account).", float64(code))
	gauge("qccbatch_run_duration_seconds", "How long the last run took.", now.Sub(m.start).Seconds())
	if m.rep != nil {
		rows := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "qccbatch_rows", Help: "Rows of the book per outcome at the end of the last run.", ConstLabels: labels}, []string{"outcome"})
		for _, o := range outcome.All() {
			rows.WithLabelValues(string(o)).Set(float64(m.rep.Counts[o]))
		}
		reg.MustRegister(rows)
		gauge("qccbatch_new_orders", "Orders the last run placed.", float64(m.rep.NewOrders))
		gauge("qccbatch_api_calls", "API requests the last run made.", float64(m.rep.APICalls))
		if len(m.rep.Ratings) > 0 {
			due := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "qccbatch_due_rows", Help: "Rows due for an order per risk rating at the start of the last run.", ConstLabels: labels}, []string{"rating"})
			for _, r := range m.rep.Ratings {
				due.WithLabelValues(r.Name("en")).Set(float64(r.DueRows))
			}
			reg.MustRegister(due)
		}
	}
	if dir := filepath.Dir(m.flags.file); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return err
		}
	}
	return prometheus.WriteToTextfile(m.flags.file, reg)
}

// lastSuccess is when the last successful run ended: from the state
// file's run records (a run with no stop reason), else from the metrics
// file the previous run wrote; zero when neither knows one.
func (m *runMetrics) lastSuccess() time.Time {
	var last time.Time
	if m.state != "" {
		if j, err := journal.Open(m.state, journal.Options{ReadOnly: true}); err == nil {
			for _, r := range j.Runs() {
				if r.Kind == journal.KindRun && !r.Killed && !r.Running && !r.Ended.IsZero() && r.Reason == "" && r.Exit <= 0 && r.Ended.After(last) {
					last = r.Ended
				}
			}
			_ = j.Close()
		}
	}
	if f, err := os.Open(m.flags.file); err == nil {
		defer f.Close()
		p := expfmt.NewTextParser(model.LegacyValidation)
		if mfs, err := p.TextToMetricFamilies(f); err == nil {
			if mf := mfs["qccbatch_last_success_timestamp_seconds"]; mf != nil && len(mf.Metric) > 0 && mf.Metric[0].Gauge != nil {
				if t := time.Unix(int64(mf.Metric[0].Gauge.GetValue()), 0); t.After(last) {
					last = t
				}
			}
		}
	}
	return last
}
