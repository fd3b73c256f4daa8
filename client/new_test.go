package client

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
			if tt.wantErr {
				require.Error(t, err)
				assert.NotContains(t, err.Error(), "pw", "the error shows the password")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantHost, c.Host())
		})
	}
}

func TestNew_Credentials(t *testing.T) {
	for _, tt := range []struct{ key, secret string }{{"", "s"}, {"k", ""}, {" ", "s"}} {
		_, err := New("", tt.key, tt.secret)
		assert.Error(t, err, "New with key %q secret %q", tt.key, tt.secret)
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
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFormat(tt.in)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.wantExt, got.Ext())
		})
	}
}
