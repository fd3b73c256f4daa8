// Package msg is the one zh/en catalogue of every sentence qccbatch writes
// for people: row messages, stop reasons, the plan of validate and
// --dry-run, the results workbook's texts, identifier reasons, the prompt,
// log sentences on a terminal, the human output of the commands, and the
// one-line errors that stop a command with exit 2: input errors
// (*input.Error), configuration errors (*batch.ConfigError) and state-file
// errors (batch/journal), see errtable.go. Cobra's own flag-parsing errors
// ("unknown flag", "invalid argument"), the --help texts and the usage
// errors of the command line (a bad flag value) are not in the catalogue:
// they stay English.
//
// A message is a typed ID; Text returns it in a language, formatted with
// fmt.Sprintf. Language is a presentation concern: the engine (batch and
// its packages) never knows it. It keeps a Message (an ID and its
// arguments) for every row note, stop reason and error (*Error, and the
// typed errors of batch, batch/input and batch/journal, which implement
// Localized), and the edge renders it once, in the language it was asked
// for: the command line (msg.Render of the error that ends a command, log
// values), the results writer (results.Write's msg.Language), the plan
// writers. The state file keeps the notes of uncertain companies as
// stable names and arguments (journal.NoteName), never as sentences. The tables are plain Go, not golang.org/x/text/message: its
// printer localises numbers (a %d of 12345 becomes "12,345"), which would
// break row numbers, order numbers and counts that people search for.
//
// Texts that embed an API message, an OS error, a file name or a company
// name take it as an argument and keep it as it came; only the words
// around it are translated. Machine-readable forms (log keys, JSON, the
// summary line's keys, outcome codes) are not in the catalogue.
//
// The package imports only outcome, whose Lang is the one place that
// normalises a --lang value, so batch, batch/journal, batch/identifier,
// batch/results and the command line can all import it.
package msg
