package msg

import (
	"errors"
	"fmt"
	"github.com/qccbatch/qccbatch/batch/outcome"
	"strings"
)

// Message is a message of the catalogue not yet rendered: its id and its
// arguments. The engine keeps messages in this form (row notes, stop
// reasons, errors) and the edge (the command line, the results writer, a
// web page) renders them once, in the language it was asked for.
//
// An argument that is itself a Message, or an error, is rendered in the
// same language (see Render); any other argument (an API message, a file
// name, a number) is formatted as it came.
type Message struct {
	ID   ID
	Args []any

	join bool   // Args are Messages, joined by ID, or by sep when ID is None (see Join)
	sep  string // the separator of JoinText
}

// M returns message id with args.
func M(id ID, args ...any) Message { return Message{ID: id, Args: args} }

// Plain returns a text that is not in the catalogue (an API message, an
// OS error) as a Message: it is the same in every language.
func Plain(s string) Message { return Message{Args: []any{s}} }

// Of returns err as a Message: its sentence, rendered in the message's
// language (see Render). nil is the zero Message.
func Of(err error) Message {
	if err == nil {
		return Message{}
	}
	if l, ok := err.(Localized); ok {
		if _, own := err.(interface{ In(Language) string }); !own {
			return l.Msg()
		}
	}
	return Message{Args: []any{err}}
}

// Zero reports whether m is no message.
func (m Message) Zero() bool { return m.ID == None && len(m.Args) == 0 }

// Join returns the messages that are not zero, joined by sep (a message
// such as StopJoin): one message.
func Join(sep ID, parts ...Message) Message {
	var args []any
	for _, p := range parts {
		if !p.Zero() {
			args = append(args, p)
		}
	}
	if len(args) == 1 {
		return args[0].(Message)
	}
	return Message{ID: sep, Args: args, join: true}
}

// JoinText is Join with a separator that is the same in every language
// ("; " between a row's notes, say).
func JoinText(sep string, parts ...Message) Message {
	m := Join(None, parts...)
	if m.join {
		m.sep = sep
	}
	return m
}

// In returns m in language t (a Language: "en", else zh; see outcome.Lang;
// a constant such as "en" will do). The zero Message is "", a Plain one
// its text.
func (m Message) In(t Language) string {
	lang := string(t)
	if m.join {
		parts := make([]string, len(m.Args))
		for i, a := range m.Args {
			parts[i] = a.(Message).In(t)
		}
		sep := m.sep
		if m.ID != None {
			sep = Text(lang, m.ID)
		}
		return strings.Join(parts, sep)
	}
	if m.ID == None {
		if len(m.Args) != 1 {
			return ""
		}
		switch v := m.Args[0].(type) {
		case Message:
			return v.In(t)
		case error:
			return Render(v, t)
		}
		return fmt.Sprint(m.Args[0])
	}
	return Text(lang, m.ID, m.Args...)
}

// renderArgs returns args with every Message and error rendered in t; args
// itself when there is none.
func renderArgs(t Language, args []any) []any {
	var out []any
	for i, a := range args {
		switch v := a.(type) {
		case Message:
			a = v.In(t)
		case error:
			a = Render(v, t)
		default:
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = a
	}
	if out == nil {
		return args
	}
	return out
}

// String returns m in zh, the program's language without a --lang.
func (m Message) String() string { return m.In("zh") }

// Localized is an error whose sentence is a message of the catalogue.
// Its Error is the sentence in zh (for logs and tests without a
// language); Render writes it in any language.
type Localized interface {
	error
	Msg() Message
}

// Error is an error whose sentence is Message; Err, if set, is the cause
// it wraps (for errors.Is and errors.As). The message usually names the
// cause as one of its arguments.
type Error struct {
	Message
	Err error
}

// Errorf returns an *Error of message id with args. An argument that is
// an error becomes its Err too, when it is the first one.
func Errorf(id ID, args ...any) *Error {
	e := &Error{Message: M(id, args...)}
	for _, a := range args {
		if err, ok := a.(error); ok {
			e.Err = err
			break
		}
	}
	return e
}

// Error returns the message in zh.
func (e *Error) Error() string { return e.In("zh") }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Msg returns the message.
func (e *Error) Msg() Message { return e.Message }

// Render returns err's sentence in language t. An error of the catalogue
// (Localized, or one with a method In(Language) string) is rendered from
// its message; an error that wraps one (say
// with fmt.Errorf's %w) keeps its own words around the wrapped sentence,
// which is rendered in lang. Any other error is its Error text.
func Render(err error, t Language) string {
	if err == nil {
		return ""
	}
	if l, ok := err.(interface{ In(Language) string }); ok { // an error of its own words around a Message
		return l.In(t)
	}
	if l, ok := err.(Localized); ok {
		return l.Msg().In(t)
	}
	s := err.Error()
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		// errors.Join: the sentences one a line, each in lang.
		es := j.Unwrap()
		plain, rendered := make([]string, len(es)), make([]string, len(es))
		for i, e := range es {
			plain[i], rendered[i] = e.Error(), Render(e, t)
		}
		if s == strings.Join(plain, "\n") {
			return strings.Join(rendered, "\n")
		}
	}
	for e := unwrapOne(err); e != nil; e = unwrapOne(e) {
		_, in := e.(interface{ In(Language) string })
		if _, ok := e.(Localized); ok || in {
			if inner := e.Error(); inner != "" && strings.Contains(s, inner) {
				return strings.Replace(s, inner, Render(e, t), 1)
			}
			return s
		}
	}
	return s
}

// unwrapOne returns the error err wraps: the first of a joined error's.
func unwrapOne(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		if es := j.Unwrap(); len(es) > 0 {
			return es[0]
		}
	}
	return nil
}

// Msg returns m in the printer's language.
func (p Language) Msg(m Message) string { return m.In(p) }

// Err returns err's sentence in the printer's language (see Render).
func (p Language) Err(err error) string { return Render(err, p) }

// Outcome returns an outcome as shown to people in the printer's
// language: its Chinese label in zh, its code in en.
func (p Language) Outcome(o outcome.Outcome) string {
	if p.Lang() == "en" {
		return string(o)
	}
	return o.Chinese()
}
