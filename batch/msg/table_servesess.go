package msg

// The team sessions of `qccbatch serve`: the sign-in page, sign-out, and
// why a session ended (an idle timeout, its lifetime, a sign-out, a
// restart). SessionPageTexts names those the page shows.
const (
	SessSignOut ID = 44000 + iota
	SessUser
	SessPassword
	SessSignIn
	SessWrong
	SessThrottled
	SessIdle
	SessMax
	SessSignedOut
	SessUnknown
	SessSignInFirst
	SessMinutes
	SessHours
	SessNoSignOut
)

var sessTable = map[ID][2]string{
	SessSignOut:     {"退出登录", "Sign out"},
	SessUser:        {"用户名", "User name"},
	SessPassword:    {"密码", "Password"},
	SessSignIn:      {"登录", "Sign in"},
	SessWrong:       {"用户名或密码错误。", "Wrong user name or password."},
	SessThrottled:   {"登录失败次数过多：请 %d 秒后再试。", "Too many failed sign-ins: try again in %d s."},
	SessIdle:        {"%s无操作，会话已结束：请重新登录。", "Your session ended after %s without a request: sign in again."},
	SessMax:         {"登录已满%s，会话已结束：请重新登录。", "Your session ended %s after sign-in: sign in again."},
	SessSignedOut:   {"已退出登录。", "You signed out."},
	SessUnknown:     {"会话已失效（服务器已重启，或会话已结束）：请重新登录。", "Your session is no longer valid (the server restarted, or the session ended): sign in again."},
	SessSignInFirst: {"请先登录（脚本可发送 HTTP basic 凭据）。", "Sign in first (scripts may send HTTP basic credentials)."},
	SessMinutes:     {"%d 分钟", "%d minutes"},
	SessHours:       {"%d 小时", "%d hours"},
	SessNoSignOut:   {"此服务器没有用户（本机模式，使用启动令牌）：无需退出登录。", "This server has no users (loopback, launch token): there is nothing to sign out of."},
}

// SessionPageTexts maps the names the page uses to the session messages.
var SessionPageTexts = map[string]ID{
	"sign_out": SessSignOut,
}

func init() {
	for id, m := range sessTable {
		table[id] = m
	}
}
