package msg

import (
	"fmt"

	"github.com/qccbatch/qccbatch/batch/outcome"
)

// ID names one message of the catalogue. The zero ID is None: no message.
type ID int

// Text returns message id in lang ("en", else zh; see outcome.Lang),
// formatted with args when there are any. An argument that is a Message
// or an error is rendered in lang first (see Message.In). An unknown id
// returns "".
func Text(lang string, id ID, args ...any) string {
	m, ok := table[id]
	if !ok {
		return ""
	}
	f := m[0]
	if outcome.Lang(lang) == "en" {
		f = m[1]
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, renderArgs(Language(lang), args)...)
}

// Language is one language of the catalogue ("zh" or "en"): its Text
// writes a message in it.
type Language string

// For returns the Language of lang.
func For(lang string) Language { return Language(outcome.Lang(lang)) }

// Text returns message id in the printer's language.
func (p Language) Text(id ID, args ...any) string { return Text(string(p), id, args...) }

// Lang returns the printer's language, "zh" or "en".
func (p Language) Lang() string { return outcome.Lang(string(p)) }
