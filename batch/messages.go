package batch

import (
	"strings"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
)

// The row messages the pipeline writes into the results, by their old
// names; their zh and en texts are in package msg, the one catalogue.
const (
	msgDownloadFailed  = msg.DownloadFailed
	msgNotRecorded     = msg.NotRecorded
	msgCooldown        = msg.Cooldown
	msgNotOrdered      = msg.NotOrdered
	msgStillProcessing = msg.StillProcessing
	msgNoPollAnswer    = msg.NoPollAnswer
	msgPollFailed      = msg.PollFailed
	msgStopped         = msg.Stopped
	msgReportFailed    = msg.ReportFailed
)

// text returns message id in lang ("en" or zh), formatted with args.
func text(lang string, id msg.ID, args ...any) string { return msg.Text(lang, id, args...) }

// text returns message id in the run's language.
func (r *runner) text(id msg.ID, args ...any) string { return msg.Text(r.cfg.Lang, id, args...) }

// journalMessage renders a message the state file stores in English (an
// uncertain company's journal.MsgNoAnswer, or its cause followed by
// journal.MsgResolveAdvice) in lang. The cause, an API message or an OS
// error, is kept as it came. Any other message is returned as it is: the
// API's own text of a refusal or cooldown.
func journalMessage(lang, m string) string {
	switch {
	case m == journal.MsgNoAnswer:
		return text(lang, msg.NoAnswer)
	case m == journal.MsgResolveAdvice:
		return text(lang, msg.ResolveAdvice)
	case strings.HasSuffix(m, ": "+journal.MsgResolveAdvice):
		return text(lang, msg.CauseResolveAdvice, strings.TrimSuffix(m, ": "+journal.MsgResolveAdvice))
	}
	return m
}
