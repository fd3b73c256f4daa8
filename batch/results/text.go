package results

import (
	"github.com/qccbatch/qccbatch/batch/msg"
	"github.com/qccbatch/qccbatch/batch/outcome"
)

// catalog holds every text the results write in one language: the headers of
// the appended columns, the meaning of each report status, and the labels,
// instructions and legend of the Summary sheet. The outcome labels themselves
// come from outcome.Label, which the command line shares.
type catalog struct {
	columns [nAppended]string
	title   string // the workbook's document title
	// status maps the API's ReportStatus letter to the letter and its
	// meaning, as the API document words it (N-未生成, S-生成成功,
	// F-生成失败, P-正在处理中).
	status map[string]string

	// Facts of the run.
	input, state, start, end, version, rows, companies string
	newOrders, price, spend, apiCalls, callsPerOrder   string
	pollsPending, formats, stopReason                  string
	possiblyCharged                                    string
	titleLines, toOrder, ordersNote, companiesCol      string

	// Section headings.
	needsAction, rowsCol, whatToDo string
	counts, count                  string
	legend, meaning, onRerun       string

	// actions are the kinds of rows that need a person, in the order shown.
	actions []action
	// meanings and reruns say, per outcome, what it means and what a rerun
	// of the same command does with such a row.
	meanings, reruns map[outcome.Outcome]string
}

// action is one kind of row that needs a person: the outcomes it groups and
// what to do about them.
type action struct {
	outcomes []outcome.Outcome
	todo     string
}

// catalogs holds the catalog of each language, built from package msg,
// the one zh/en catalogue of the program.
var catalogs = map[string]*catalog{"zh": newCatalog("zh"), "en": newCatalog("en")}

// newCatalog collects the texts of language t from package msg.
func newCatalog(t msg.Language) *catalog {
	c := &catalog{
		title: t.Text(msg.ResTitle),
		status: map[string]string{"N": t.Text(msg.StatusN), "S": t.Text(msg.StatusS),
			"F": t.Text(msg.StatusF), "P": t.Text(msg.StatusP)},

		input: t.Text(msg.ResInput), state: t.Text(msg.ResState), start: t.Text(msg.ResStart), end: t.Text(msg.ResEnd),
		version: t.Text(msg.ResVersion), rows: t.Text(msg.ResRows), companies: t.Text(msg.ResCompanies),
		newOrders: t.Text(msg.ResNewOrders), price: t.Text(msg.ResPrice), spend: t.Text(msg.ResSpend),
		apiCalls: t.Text(msg.ResAPICalls), callsPerOrder: t.Text(msg.ResCallsPerOrder),
		pollsPending: t.Text(msg.ResPollsPending), formats: t.Text(msg.ResFormats),
		stopReason: t.Text(msg.ResStopReason), possiblyCharged: t.Text(msg.ResPossiblyCharged),
		titleLines: t.Text(msg.ResTitleLines), toOrder: t.Text(msg.ResToOrder), ordersNote: t.Text(msg.ResOrdersNote),
		companiesCol: t.Text(msg.ResCompaniesCol),

		needsAction: t.Text(msg.ResNeedsAction), rowsCol: t.Text(msg.ResRowsCol), whatToDo: t.Text(msg.ResWhatToDo),
		counts: t.Text(msg.ResCounts), count: t.Text(msg.ResCount),
		legend: t.Text(msg.ResLegend), meaning: t.Text(msg.ResMeaning), onRerun: t.Text(msg.ResOnRerun),

		actions: []action{
			{[]outcome.Outcome{outcome.Uncertain}, t.Text(msg.ActUncertain)},
			{[]outcome.Outcome{outcome.Failed}, t.Text(msg.ActFailed)},
			{[]outcome.Outcome{outcome.NotFound, outcome.Rejected, outcome.Invalid}, t.Text(msg.ActCorrect)},
			{[]outcome.Outcome{outcome.Pending, outcome.NotOrdered}, t.Text(msg.ActResume)},
		},
		meanings: map[outcome.Outcome]string{
			outcome.Ready:      t.Text(msg.MeanReady),
			outcome.Invalid:    t.Text(msg.MeanInvalid),
			outcome.NotFound:   t.Text(msg.MeanNotFound),
			outcome.Rejected:   t.Text(msg.MeanRejected),
			outcome.Failed:     t.Text(msg.MeanFailed),
			outcome.Uncertain:  t.Text(msg.MeanUncertain),
			outcome.Pending:    t.Text(msg.MeanPending),
			outcome.NotOrdered: t.Text(msg.MeanNotOrdered),
		},
		reruns: map[outcome.Outcome]string{
			outcome.Ready:      t.Text(msg.RerunReady),
			outcome.Invalid:    t.Text(msg.RerunInvalid),
			outcome.NotFound:   t.Text(msg.RerunNotFound),
			outcome.Rejected:   t.Text(msg.RerunRejected),
			outcome.Failed:     t.Text(msg.RerunFailed),
			outcome.Uncertain:  t.Text(msg.RerunUncertain),
			outcome.Pending:    t.Text(msg.RerunPending),
			outcome.NotOrdered: t.Text(msg.RerunNotOrdered),
		},
	}
	for i, id := range [nAppended]msg.ID{msg.ColRow, msg.ColSearchKey, msg.ColOutcome, msg.ColCode, msg.ColMessage, msg.ColOrderNo,
		msg.ColReportStatus, msg.ColReportURL, msg.ColFile, msg.ColOrderedAt, msg.ColCompletedAt} {
		c.columns[i] = t.Text(id)
	}
	return c
}

// textsFor returns the catalog of language t ("zh" unless t is "en").
func textsFor(t msg.Language) *catalog {
	return catalogs[t.Lang()]
}

// statusText returns a report status with its meaning, "S 生成成功"; an
// unknown status is returned as it came.
func (c *catalog) statusText(status string) string {
	if shown, ok := c.status[status]; ok {
		return shown
	}
	return status
}
