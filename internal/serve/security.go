package serve

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"strings"

	"github.com/qccbatch/qccbatch/client"
)

// contentSecurityPolicy allows the page's own files and nothing else: no
// inline script or style, no other origin, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

type ctxKey int

const userKey ctxKey = 1

// userOf is the user of an authenticated request: the team user, or
// "local" on a loopback server.
func userOf(r *http.Request) string {
	u, _ := r.Context().Value(userKey).(string)
	return u
}

// cookieName is the session cookie's name, with the port: two servers on
// one host do not overwrite each other's cookie.
func (s *Server) cookieName() string { return "qccbatch-" + s.Port() }

// secure wraps the routes in the security rules, outermost first: response
// headers, the Host check (DNS rebinding), the token or login, and the
// cross-origin check of every state change.
func (s *Server) secure(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusForbidden, "cross-origin request refused")
	}))
	inner := cop.Handler(s.authenticate(next))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if (!s.team() || s.onLoopback()) && !s.hostAllowed(r.Host) { // users on loopback too
			http.Error(w, "403 forbidden: unknown Host "+sanitize(r.Host)+"; open the address qccbatch serve printed", http.StatusForbidden)
			return
		}
		if s.team() && r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		inner.ServeHTTP(w, r)
	})
}

// onLoopback reports whether the server listens on loopback.
func (s *Server) onLoopback() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loopback
}

// hostAllowed accepts 127.0.0.1:PORT, localhost:PORT and [::1]:PORT only.
func (s *Server) hostAllowed(host string) bool {
	port := s.Port()
	for _, h := range []string{"127.0.0.1", "localhost", "[::1]"} {
		if strings.EqualFold(host, h+":"+port) {
			return true
		}
	}
	return false
}

// sanitize keeps a header value printable and short for an error page.
func sanitize(s string) string {
	if len(s) > 100 {
		s = s[:100]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// authenticate lets through a request with the launch token (cookie, or
// Bearer for scripts) or, in team mode, a login session or HTTP basic
// credentials; it exchanges ?token= for the cookie and redirects to the
// same address without it.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.team() {
			s.teamAuth(next, w, r)
			return
		}
		if t := r.URL.Query().Get("token"); t != "" && r.Method == http.MethodGet {
			if !s.tokenOK(t) {
				http.Error(w, "401 unauthorized: wrong token; open the address qccbatch serve printed", http.StatusUnauthorized)
				return
			}
			s.setCookie(w, r, s.token, 0)
			q := r.URL.Query()
			q.Del("token")
			u := *r.URL
			u.RawQuery = q.Encode()
			u.Scheme, u.Host = "", ""
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return
		}
		ok := false
		if c, err := r.Cookie(s.cookieName()); err == nil && s.tokenOK(c.Value) {
			ok = true
		}
		if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") && s.tokenOK(strings.TrimPrefix(a, "Bearer ")) {
			ok = true
		}
		if !ok {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				apiError(w, http.StatusUnauthorized, "no token: open the address qccbatch serve printed, or send Authorization: Bearer TOKEN")
				return
			}
			http.Error(w, "401 unauthorized: open the address qccbatch serve printed (it holds the token)", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey, "local")))
	})
}

func (s *Server) tokenOK(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.token)) == 1
}

// IsLoopbackAddr reports whether addr (HOST:PORT) listens on loopback only.
func IsLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && client.IsLoopbackHost(host)
}
