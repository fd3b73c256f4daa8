package serve

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
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
		_ = bcrypt.CompareHashAndPassword([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z4eZ0n2N8U6vJ0g0e3cVQ5a."), []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
}

// teamAuth lets through a signed-in user (session cookie or basic
// credentials); /login and the page's files are open.
func (s *Server) teamAuth(next http.Handler, w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/login" {
		s.handleLogin(w, r)
		return
	}
	user := ""
	if c, err := r.Cookie(s.cookieName()); err == nil {
		s.mu.Lock()
		user = s.sessions[c.Value]
		s.mu.Unlock()
	}
	if name, pw, ok := r.BasicAuth(); ok && user == "" && s.checkPassword(name, pw) {
		user = name
	}
	if user == "" {
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			apiError(w, http.StatusUnauthorized, "sign in first (or send HTTP basic credentials)")
			return
		}
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey, user)))
}

const loginPage = `<!doctype html><html><head><meta charset="utf-8"><title>qccbatch</title>
<link rel="stylesheet" href="/assets/app.css"></head><body><main class="login"><h1>qccbatch</h1>%s
<form method="post" action="/login"><label>用户名 User <input name="user" autocomplete="username" required></label>
<label>密码 Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">登录 Sign in</button></form></main></body></html>`

// handleLogin shows the sign-in form and checks it (a POST, behind the
// cross-origin check like every state change).
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	switch r.Method {
	case http.MethodGet:
		fmt.Fprintf(w, loginPage, "")
	case http.MethodPost:
		r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		name := r.PostForm.Get("user")
		if !s.checkPassword(name, r.PostForm.Get("password")) {
			time.Sleep(500 * time.Millisecond)
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, loginPage, `<p class="error">`+html.EscapeString("用户名或密码错误 / wrong user name or password")+`</p>`)
			return
		}
		sid := randomID(32)
		s.mu.Lock()
		s.sessions[sid] = name
		s.mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: sid, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
		s.record(name, "login")
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
