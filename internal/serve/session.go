package serve

import (
	"context"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// Team sessions. A sign-in on /login makes a session held by the server
// (a random id in an HttpOnly cookie, nothing else in it): it ends after
// SessionIdle without a request, SessionMax after the sign-in, on Sign out
// (POST /api/logout), and with the process (sessions live in memory only).
// A cookie of an ended session is refused even when replayed; its reason
// is kept a day, so the 401 and the sign-in page can say why.
//
// Failed sign-ins, on the form or with HTTP basic credentials, are
// throttled alike: each answers after FailDelay, and after throttleAfter
// failures in a row (forgotten after throttleWindow without one) a user
// name waits nameLock and a client address waits addrLockMin, doubling per
// further failure up to addrLockMax. An attempt while either waits gets 429
// with Retry-After and no password is checked. The name's wait is short and
// fixed so that someone guessing a colleague's password locks the colleague
// out for at most a minute each time their own address's (growing) wait
// ends; a correct sign-in clears the name's failures, not the address's.
// The address is the connection's (no X-Forwarded-For is trusted).
const (
	// DefaultSessionIdle ends a session after this long without a request.
	DefaultSessionIdle = 30 * time.Minute
	// DefaultSessionMax ends a session this long after its sign-in.
	DefaultSessionMax = 12 * time.Hour
	// DefaultFailDelay is how long a failed sign-in waits before its answer.
	DefaultFailDelay = 500 * time.Millisecond

	throttleAfter  = 5
	throttleWindow = time.Hour
	nameLock       = time.Minute
	addrLockMin    = time.Minute
	addrLockMax    = 15 * time.Minute
	tombstoneKeep  = 24 * time.Hour
)

// Why a session ended.
const (
	endIdle      = "idle"
	endMax       = "max"
	endSignedOut = "signed_out"
)

// session is one sign-in on the form.
type session struct {
	user          string
	created, last time.Time
	ended         string    // "" while it lasts, else endIdle, endMax or endSignedOut
	endedAt       time.Time // when it was found ended
	ctx           context.Context
	cancel        context.CancelFunc // ends the session's requests still open (event streams)
}

// now is the server's clock (Options.Now).
func (s *Server) now() time.Time { return s.opt.Now() }

// newSession starts a session of user and returns its id.
func (s *Server) newSession(user string) string {
	sid := randomID(32)
	now := s.now()
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.sweepLocked(now)
	s.sessions[sid] = &session{user: user, created: now, last: now, ctx: ctx, cancel: cancel}
	s.mu.Unlock()
	return sid
}

// sweepLocked ends the sessions past their time and forgets the reasons of
// those ended more than tombstoneKeep ago. s.mu is held.
func (s *Server) sweepLocked(now time.Time) {
	for id, ss := range s.sessions {
		if ss.ended == "" {
			if why := s.expiredLocked(ss, now); why != "" {
				s.endLocked(ss, why, now)
			}
		}
		if ss.ended != "" && now.Sub(ss.endedAt) > tombstoneKeep {
			delete(s.sessions, id)
		}
	}
}

// expiredLocked is why ss has expired at now, or "".
func (s *Server) expiredLocked(ss *session, now time.Time) string {
	switch {
	case now.Sub(ss.created) >= s.opt.SessionMax:
		return endMax
	case now.Sub(ss.last) >= s.opt.SessionIdle:
		return endIdle
	}
	return ""
}

// endLocked ends ss: its requests still open end too. s.mu is held.
func (s *Server) endLocked(ss *session, why string, now time.Time) {
	ss.ended, ss.endedAt = why, now
	ss.cancel()
	if why != endSignedOut {
		s.record(ss.user, "session_end", "reason", why)
	}
}

// lookupSession returns the live session of r's cookie and marks it used,
// or nil and why there is none: msg.None without a cookie, else the
// message saying why (ended, expired, unknown: the server restarted).
func (s *Server) lookupSession(r *http.Request) (*session, msg.ID) {
	c, err := r.Cookie(s.cookieName())
	if err != nil || c.Value == "" {
		return nil, msg.None
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[c.Value]
	if ss == nil {
		return nil, msg.SessUnknown
	}
	if ss.ended == "" {
		if why := s.expiredLocked(ss, now); why != "" {
			s.endLocked(ss, why, now)
		}
	}
	switch ss.ended {
	case "":
		ss.last = now
		return ss, msg.None
	case endIdle:
		return nil, msg.SessIdle
	case endMax:
		return nil, msg.SessMax
	}
	return nil, msg.SessSignedOut
}

// endReason is the one-line reason of why in lang.
func (s *Server) endReason(lang string, why msg.ID) string {
	switch why {
	case msg.SessIdle:
		return msg.Text(lang, why, humanDuration(lang, s.opt.SessionIdle))
	case msg.SessMax:
		return msg.Text(lang, why, humanDuration(lang, s.opt.SessionMax))
	}
	return msg.Text(lang, why)
}

// humanDuration is d in whole hours or minutes, in lang.
func humanDuration(lang string, d time.Duration) string {
	if d >= 2*time.Hour && d%time.Hour == 0 {
		return msg.Text(lang, msg.SessHours, int(d/time.Hour))
	}
	m := int((d + time.Minute - 1) / time.Minute)
	return msg.Text(lang, msg.SessMinutes, m)
}

// signOut ends the session of r's cookie, if any.
func (s *Server) signOut(r *http.Request) {
	c, err := r.Cookie(s.cookieName())
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss := s.sessions[c.Value]; ss != nil && ss.ended == "" {
		s.endLocked(ss, endSignedOut, s.now())
	}
}

// handleLogout is POST /api/logout: Sign out. The session ends on the
// server (its cookie is refused from now on, replayed or not) and the
// cookie is cleared.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if !s.team() {
		apiError(w, http.StatusNotFound, msg.Text(langOf(r), msg.SessNoSignOut))
		return
	}
	s.signOut(r)
	s.clearCookie(w, r)
	user := userOf(r)
	s.record(user, "logout", "addr", clientAddr(r))
	writeJSON(w, http.StatusOK, map[string]string{"signed_out": user})
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) { s.setCookie(w, r, "", -1) }

// setCookie sets the server's cookie (the launch token, or a session's id)
// with its security attributes in one place: HttpOnly, SameSite=Strict,
// Secure under TLS. maxAge < 0 deletes it; 0 makes it last the browser
// session.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
}

// clientAddr is the address of r's connection, without the port.
func clientAddr(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// strikes are the failed sign-ins in a row of one user name or address.
type strikes struct {
	n           int
	last, until time.Time
}

// throttle counts failed sign-ins by user name and by client address.
type throttle struct {
	mu   sync.Mutex
	keys map[string]*strikes
}

func nameKey(name string) string {
	if len(name) > 128 {
		name = name[:128]
	}
	return "name:" + name
}

func addrKey(addr string) string { return "addr:" + addr }

// wait is how long an attempt of name from addr must wait (0: none).
func (t *throttle) wait(now time.Time, name, addr string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var w time.Duration
	for _, k := range []string{nameKey(name), addrKey(addr)} {
		if st := t.keys[k]; st != nil && st.until.After(now) && st.until.Sub(now) > w {
			w = st.until.Sub(now)
		}
	}
	return w
}

// fail counts a failed sign-in of name from addr.
func (t *throttle) fail(now time.Time, name, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.keys == nil {
		t.keys = map[string]*strikes{}
	}
	for k, st := range t.keys { // forget the old ones: the map stays small
		if now.Sub(st.last) > throttleWindow && !st.until.After(now) {
			delete(t.keys, k)
		}
	}
	for _, k := range []string{nameKey(name), addrKey(addr)} {
		st := t.keys[k]
		if st == nil {
			st = &strikes{}
			t.keys[k] = st
		}
		st.n++
		st.last = now
		if st.n < throttleAfter {
			continue
		}
		lock := nameLock
		if strings.HasPrefix(k, "addr:") {
			lock = addrLockMin << min(st.n-throttleAfter, 10)
			lock = min(lock, addrLockMax)
		}
		st.until = now.Add(lock)
	}
}

// succeed clears the failures of name (not those of the address).
func (t *throttle) succeed(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, nameKey(name))
}

// attempt checks a sign-in of name with password from r, on the form or
// with basic credentials (via), under the throttle. wait > 0: refused
// without checking, try again after it. A failure answers after FailDelay,
// and takes as long for a name that does not exist as for one that does.
func (s *Server) attempt(r *http.Request, via, name, password string) (ok bool, wait time.Duration) {
	addr := clientAddr(r)
	if wait := s.throttle.wait(s.now(), name, addr); wait > 0 {
		return false, wait
	}
	if s.checkPassword(name, password) {
		s.throttle.succeed(name)
		return true, 0
	}
	s.throttle.fail(s.now(), name, addr)
	tried := name
	if !userNamePattern.MatchString(tried) {
		tried = "(not a user name)"
	}
	s.record("", "login_failed", "tried", tried, "via", via, "addr", addr)
	s.opt.Sleep(s.opt.FailDelay)
	return false, 0
}

// retryAfter answers 429 headers for wait and returns its whole seconds.
func retryAfter(w http.ResponseWriter, wait time.Duration) int {
	sec := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(sec))
	return sec
}

// decoyHash is a bcrypt hash of a random password at the users' highest
// cost: an unknown name costs checkPassword the same work as a known one.
func decoyHash(users map[string][]byte) []byte {
	cost := bcrypt.DefaultCost
	first := true
	for _, h := range users {
		if c, err := bcrypt.Cost(h); err == nil && (first || c > cost) {
			cost, first = c, false
		}
	}
	h, err := bcrypt.GenerateFromPassword([]byte(randomID(16)), cost)
	if err != nil {
		h, _ = bcrypt.GenerateFromPassword([]byte(randomID(16)), bcrypt.DefaultCost)
	}
	return h
}

// loginLang is the sign-in page's language: ?lang=, else the browser's
// first language as the page chooses it (en, else zh).
func loginLang(r *http.Request) string {
	switch r.URL.Query().Get("lang") {
	case "en":
		return "en"
	case "zh":
		return "zh"
	}
	al := strings.ToLower(strings.TrimSpace(r.Header.Get("Accept-Language")))
	if strings.HasPrefix(al, "en") {
		return "en"
	}
	return "zh"
}

const loginPage = `<!doctype html><html lang="%s"><head><meta charset="utf-8"><title>qccbatch</title>
<link rel="stylesheet" href="/assets/app.css"></head><body><main class="login"><h1>qccbatch</h1>%s
<form method="post" action="/login?lang=%s"><label>%s <input name="user" autocomplete="username" required></label>
<label>%s <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">%s</button></form><p class="muted"><a href="/login?lang=%s">%s</a></p></main></body></html>`

// writeLogin answers the sign-in page with status and a one-line note
// (class "error", or "notice" for a session that ended).
func writeLogin(w http.ResponseWriter, status int, lang, note, class string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	p := ""
	if note != "" {
		p = `<p id="login-note" class="` + class + `">` + html.EscapeString(note) + `</p>`
	}
	other, otherName := "en", "English"
	if lang == "en" {
		other, otherName = "zh", "中文"
	}
	fmt.Fprintf(w, loginPage, lang, p, lang, msg.Text(lang, msg.SessUser), msg.Text(lang, msg.SessPassword),
		msg.Text(lang, msg.SessSignIn), other, otherName)
}
