package cli

import (
	"fmt"
	"os"

	"github.com/qccbatch/qccbatch/batch"
	"github.com/qccbatch/qccbatch/client/qcctest"
)

// apiTarget is where a command's requests go, with which key: the built-in
// sandbox, or --base-url with the credentials of --key-file or the
// environment.
type apiTarget struct {
	baseURL, key, secret string
	// endpoint is what the state file is bound to: batch.SandboxEndpoint
	// for the sandbox (its port changes every run), else the base URL.
	endpoint string
}

// openAPITarget starts the built-in sandbox on a loopback port (sandbox),
// or reads the credentials for baseURL (keyFile, else the environment;
// their errors in lang). stop ends the sandbox; it is never nil, and a
// no-op when nothing was started. run, serve and resolve share it.
func openAPITarget(sandbox bool, baseURL, keyFile, lang string) (t apiTarget, stop func(), err error) {
	stop = func() {}
	if !sandbox {
		t.baseURL, t.endpoint = baseURL, baseURL
		t.key, t.secret, err = loadCredentials(keyFile, os.Getenv, lang)
		return t, stop, err
	}
	srv := qcctest.NewUnstartedServer()
	if err := srv.Start("127.0.0.1:0"); err != nil {
		return t, stop, fmt.Errorf("starting the sandbox: %v", err)
	}
	t = apiTarget{baseURL: srv.BaseURL(), key: qcctest.DefaultKey, secret: qcctest.DefaultSecret, endpoint: batch.SandboxEndpoint}
	return t, func() { _ = srv.Close() }, nil
}
