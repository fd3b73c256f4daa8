// Package identifier normalises and classifies the identifier cell of a
// portfolio row (SPEC "Input"): a unified social credit code (checked per
// GB 32100-2015), a 15-digit registration number (GS15-2006), a company
// name, or something that must not be ordered (an empty cell, a number
// whose digits are lost, a formula never calculated, a totals or notes
// row …), with a short reason and a message in Chinese and English.
// LooksLikeOrganisation tells company names from people's names.
package identifier
