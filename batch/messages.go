package batch

import (
	"strings"

	"github.com/qccbatch/qccbatch/batch/journal"
	"github.com/qccbatch/qccbatch/batch/msg"
)

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
		return msg.Text(lang, msg.NoAnswer)
	case m == journal.MsgResolveAdvice:
		return msg.Text(lang, msg.ResolveAdvice)
	case strings.HasSuffix(m, ": "+journal.MsgResolveAdvice):
		return msg.Text(lang, msg.CauseResolveAdvice, strings.TrimSuffix(m, ": "+journal.MsgResolveAdvice))
	}
	return m
}
