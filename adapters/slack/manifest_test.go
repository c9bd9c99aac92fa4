package slack

import (
	"net/url"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/alexa-brief/alexa-brief/bot"
)

// TestManifests keeps deploy/slack in step with the code: the scopes the
// install asks for, the endpoints Routes serves, the events eventRequest
// answers, and the schema's length limits.
func TestManifests(t *testing.T) {
	type manifest struct {
		Display struct {
			Name            string `yaml:"name"`
			Description     string `yaml:"description"`
			LongDescription string `yaml:"long_description"`
		} `yaml:"display_information"`
		Features struct {
			AppHome struct {
				Messages bool `yaml:"messages_tab_enabled"`
			} `yaml:"app_home"`
			Commands []struct {
				Command, URL, Description string
				UsageHint                 string `yaml:"usage_hint"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
		OAuth struct {
			Redirects []string `yaml:"redirect_urls"`
			Scopes    struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				URL    string   `yaml:"request_url"`
				Events []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			Interactivity struct {
				Enabled bool   `yaml:"is_enabled"`
				URL     string `yaml:"request_url"`
			} `yaml:"interactivity"`
			SocketMode bool `yaml:"socket_mode_enabled"`
		} `yaml:"settings"`
	}
	path := func(u string) string {
		p, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		return p.Path
	}
	for _, tt := range []struct {
		file   string
		socket bool
	}{{"manifest.yaml", false}, {"manifest-socket-mode.yaml", true}} {
		raw, err := os.ReadFile("../../deploy/slack/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		var m manifest
		if err := yaml.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if got := strings.Join(m.OAuth.Scopes.Bot, ","); got != BotScopes {
			t.Errorf("%s scopes %s, want %s", tt.file, got, BotScopes)
		}
		if len(m.Features.Commands) != 1 || m.Features.Commands[0].Command != "/alexa-brief" || len(m.Features.Commands[0].UsageHint) > 1000 {
			t.Fatalf("%s commands = %+v", tt.file, m.Features.Commands)
		}
		if got, want := m.Features.Commands[0].UsageHint, UsageHint(bot.Commands()); got != want {
			t.Errorf("%s usage_hint %q, want %q (from bot.Commands)", tt.file, got, want)
		}
		if got := strings.Join(m.Settings.Events.Events, ","); got != "message.im,app_mention" {
			t.Errorf("%s bot events %s", tt.file, got)
		}
		if !m.Features.AppHome.Messages || !m.Settings.Interactivity.Enabled || m.Settings.SocketMode != tt.socket {
			t.Errorf("%s: messages tab %v, interactivity %v, socket mode %v", tt.file, m.Features.AppHome.Messages, m.Settings.Interactivity.Enabled, m.Settings.SocketMode)
		}
		if n := len(m.Display.Description); n == 0 || n > 140 || len(m.Display.Name) > 35 {
			t.Errorf("%s display information out of the schema's limits", tt.file)
		}
		if l := len(m.Display.LongDescription); l != 0 && (l < 175 || l > 4000) {
			t.Errorf("%s long_description of %d characters, want 175–4000", tt.file, l)
		}
		if tt.socket {
			continue
		}
		for _, u := range [][2]string{
			{path(m.Features.Commands[0].URL), "/slack/commands"}, {path(m.Settings.Events.URL), "/slack/events"},
			{path(m.Settings.Interactivity.URL), "/slack/interactivity"}, {path(m.OAuth.Redirects[0]), "/slack/oauth/callback"},
		} {
			if got, want := u[0], u[1]; got != want {
				t.Errorf("%s URL path %s, want %s", tt.file, got, want)
			}
		}
	}
}
