package client

import (
	"strings"
	"testing"
)

func TestNew_BaseURL(t *testing.T) {
	tests := []struct {
		base     string
		wantErr  bool
		wantHost string
	}{
		{"", false, "pro.qcc.com"},
		{"https://pro.qcc.com/api/yj/", false, "pro.qcc.com"},
		{"http://127.0.0.1:8080/api/yj", false, "127.0.0.1:8080"},
		{"http://localhost:8080/api/yj", false, "localhost:8080"},
		{"http://[::1]:8080/api/yj", false, "[::1]:8080"},
		{"http://127.9.9.9/api/yj", false, "127.9.9.9"},
		{"http://pro.qcc.com/api/yj", true, ""},
		{"http://10.0.0.1/api/yj", true, ""},
		{"http://localhost.example.com/api/yj", true, ""},
		{"ftp://pro.qcc.com/api/yj", true, ""},
		{"pro.qcc.com/api/yj", true, ""},
		{"https://user:pw@pro.qcc.com/api/yj", true, ""},
		{"https://pro.qcc.com/api/yj?key=x", true, ""},
		{"https://%zz", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			c, err := New(tt.base, "key", "secret")
			if (err != nil) != tt.wantErr {
				t.Fatalf("New(%q) error = %v, want error %v", tt.base, err, tt.wantErr)
			}
			if err != nil {
				if strings.Contains(err.Error(), "pw") {
					t.Errorf("error %q shows the password", err)
				}
				return
			}
			if got := c.Host(); got != tt.wantHost {
				t.Errorf("Host() = %q, want %q", got, tt.wantHost)
			}
		})
	}
}

func TestNew_Credentials(t *testing.T) {
	for _, tt := range []struct{ key, secret string }{{"", "s"}, {"k", ""}, {" ", "s"}} {
		if _, err := New("", tt.key, tt.secret); err == nil {
			t.Errorf("New with key %q secret %q: no error", tt.key, tt.secret)
		}
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantExt string
		wantErr bool
	}{
		{"pdf", FormatPDF, "pdf", false},
		{"PDF", FormatPDF, "pdf", false},
		{"word", FormatWord, "docx", false},
		{" Word ", FormatWord, "docx", false},
		{"docx", 0, "", true},
		{"", 0, "", true},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseFormat(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			continue
		}
		if err == nil && got.Ext() != tt.wantExt {
			t.Errorf("%v.Ext() = %q, want %q", got, got.Ext(), tt.wantExt)
		}
	}
}
