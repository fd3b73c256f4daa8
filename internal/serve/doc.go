// Package serve is `qccbatch serve`: a web page (embedded HTML, CSS and a
// little JavaScript) and a JSON API over the batch engine, for desks that do
// not use a terminal and for a team sharing one key.
//
// The server keeps its books (one uploaded portfolio and its state file
// each), results and reports under one data directory and never takes a path
// from the client. One rate limiter and one API client serve every run of
// the process, so two books running at once share the key's budget.
//
// Security: loopback by default; a random per-launch token in the printed
// URL, exchanged for an HttpOnly, SameSite=Strict cookie named with the
// port; Authorization: Bearer TOKEN for scripts; a Host other than the
// loopback names of the port is refused (DNS rebinding); every state change
// is a POST behind http.CrossOriginProtection; a strict Content-Security-
// Policy with frame-ancestors 'none'; uploads are streamed to disk under a
// size cap. A team server (non-loopback address) needs TLS and a users file
// (bcrypt), records every action with its user, and can make large runs
// wait for a second user's approval.
package serve
