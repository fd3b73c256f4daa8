package serve

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/qccbatch/qccbatch/batch/msg"
)

// Team mode: a users file holds one user per line, NAME:BCRYPT-HASH
// (`qccbatch serve --add-user NAME` appends one). People sign in on /login
// and get a session cookie; scripts send HTTP basic credentials.

var userNamePattern = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)

// LoadUsers reads a users file.
func LoadUsers(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--users %s: %v", path, err)
	}
	defer f.Close()
	users := map[string][]byte{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, hash, ok := strings.Cut(line, ":")
		if !ok || !userNamePattern.MatchString(name) {
			return nil, fmt.Errorf("--users %s: line %d is not NAME:BCRYPT-HASH", path, n)
		}
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return nil, fmt.Errorf("--users %s: line %d: not a bcrypt hash", path, n)
		}
		users[name] = []byte(hash)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--users %s: %v", path, err)
	}
	if len(users) == 0 {
		return nil, fmt.Errorf("--users %s: no user: add one with qccbatch serve --users %s --add-user NAME", path, path)
	}
	return users, nil
}

// AddUser appends NAME with the bcrypt hash of password to the users file
// (created with mode 0600); a name already there is refused.
func AddUser(path, name, password string) error {
	if !userNamePattern.MatchString(name) {
		return fmt.Errorf("--add-user %q: a name is 1-64 letters, digits or . _ @ -", name)
	}
	if len(password) < 8 {
		return errors.New("the password must have at least 8 characters")
	}
	if users, err := LoadUsers(path); err == nil {
		if _, dup := users[name]; dup {
			return fmt.Errorf("--users %s already has a user %s", path, name)
		}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("--users %s: %v", path, err)
	}
	if _, err := fmt.Fprintf(f, "%s:%s\n", name, hash); err != nil {
		_ = f.Close()
		return fmt.Errorf("--users %s: %v", path, err)
	}
	return f.Close()
}

// checkPassword reports whether name and password match a user.
func (s *Server) checkPassword(name, password string) bool {
	hash, ok := s.opt.Users[name]
	if !ok {
		// The same work for an unknown name: no timing oracle of names.
		// The decoy has the users' cost (see decoyHash).
		_ = bcrypt.CompareHashAndPassword(s.decoy, []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
}

// teamAuth lets through a signed-in user (a live session cookie, or basic
// credentials checked under the sign-in throttle); /login and the page's
// files are open. Without one: 401 JSON on /api/ (with why the session
// ended, if it did), else a redirect to the sign-in page, which says why.
func (s *Server) teamAuth(next http.Handler, w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/login" {
		s.handleLogin(w, r)
		return
	}
	lang := langOf(r)
	ctx := r.Context()
	user := ""
	ss, why := s.lookupSession(r)
	if ss != nil {
		user = ss.user
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		stop := context.AfterFunc(ss.ctx, cancel) // a sign-out ends the session's open streams
		defer stop()
	}
	if name, pw, ok := r.BasicAuth(); ok && user == "" {
		ok, wait := s.attempt(r, "basic", name, pw)
		switch {
		case wait > 0:
			sec := retryAfter(w, wait)
			apiError(w, http.StatusTooManyRequests, msg.Text(lang, msg.SessThrottled, sec))
			return
		case ok:
			user = name
		default:
			apiError(w, http.StatusUnauthorized, msg.Text(lang, msg.SessWrong))
			return
		}
	}
	if user == "" {
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			text := msg.Text(lang, msg.SessSignInFirst)
			if why != msg.None {
				text = s.endReason(lang, why)
			}
			apiError(w, http.StatusUnauthorized, text)
			return
		}
		to := "/login"
		if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
			to += "?lang=" + l
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, userKey, user)))
}

// handleLogin shows the sign-in form and checks it (a POST, behind the
// cross-origin check like every state change). The form, opened with the
// cookie of a session that ended, says why and clears the cookie.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	lang := loginLang(r)
	switch r.Method {
	case http.MethodGet:
		ss, why := s.lookupSession(r)
		if ss != nil {
			http.Redirect(w, r, "/", http.StatusSeeOther) // signed in already
			return
		}
		note := ""
		if why != msg.None {
			note = s.endReason(lang, why)
			s.clearCookie(w, r)
		}
		writeLogin(w, http.StatusOK, lang, note, "notice")
	case http.MethodPost:
		r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		name := r.PostForm.Get("user")
		ok, wait := s.attempt(r, "form", name, r.PostForm.Get("password"))
		if wait > 0 {
			sec := retryAfter(w, wait)
			writeLogin(w, http.StatusTooManyRequests, lang, msg.Text(lang, msg.SessThrottled, sec), "error")
			return
		}
		if !ok {
			writeLogin(w, http.StatusUnauthorized, lang, msg.Text(lang, msg.SessWrong), "error")
			return
		}
		s.signOut(r) // a session this browser had ends: one at a time
		sid := s.newSession(name)
		s.setCookie(w, r, sid, 0)
		s.record(name, "login", "via", "form", "addr", clientAddr(r))
		http.Redirect(w, r, "/", http.StatusSeeOther)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

// handleApprove is POST /api/runs/{run}/approve: a second user approves a
// run waiting for it (team mode, above --approve-above). The user who
// started the run cannot approve it.
func (s *Server) handleApprove(w http.ResponseWriter, r *http.Request) {
	rn := s.getRun(r.PathValue("run"))
	if rn == nil {
		apiError(w, http.StatusNotFound, "no such run")
		return
	}
	user := userOf(r)
	rn.mu.Lock()
	state, starter := rn.state, rn.user
	switch {
	case state != stateApproval:
		rn.mu.Unlock()
		apiError(w, http.StatusConflict, "this run is not waiting for an approval")
		return
	case user == starter:
		rn.mu.Unlock()
		apiError(w, http.StatusForbidden, "a second person must approve: "+user+" started this run")
		return
	}
	// One approval: the run leaves awaiting_approval with it, so another
	// is refused, not recorded as one that does not count.
	rn.state = stateQueued
	rn.emitLocked("state")
	rn.approve <- user // buffered: the only send
	rn.mu.Unlock()
	s.record(user, "approve", "run", rn.ID, "started_by", starter)
	writeJSON(w, http.StatusAccepted, map[string]string{"run": rn.ID, "approved_by": user})
}
