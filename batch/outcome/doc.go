// Package outcome is the result of one input row: ready, invalid, not_found,
// rejected, failed, uncertain, pending or not_ordered (SPEC "Outcomes"), with
// its zh/en labels and whether a rerun leaves it alone.
//
// It imports nothing of this module: the journal, the results writer, the
// pipeline and the command line all speak it.
package outcome
