package discord

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alexa-brief/alexa-brief/adapters/discord/discordtest"
	"github.com/alexa-brief/alexa-brief/bot"
)

const commandsFile = "../../deploy/discord/commands.json"

// deploy/discord/commands.json is generated from bot.Commands(): it can
// never drift. go test ./adapters/discord -update rewrites it.
func TestCommandsFileMatchesTable(t *testing.T) {
	got, err := CommandsJSON(bot.Commands())
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(commandsFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(commandsFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(commandsFile)
	if err != nil {
		t.Fatalf("%v (go test ./adapters/discord -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale; run go test ./adapters/discord -update\ngot:\n%s", commandsFile, got)
	}
}

func TestDefinitions(t *testing.T) {
	defs, err := definitions(bot.Commands(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) != 1 || defs[0].Name != "alexa-brief" || defs[0].Type != 1 {
		t.Fatalf("defs %+v", defs)
	}
	subs := map[string]optionDef{}
	var names []string
	for _, o := range defs[0].Options {
		if o.Type != optionSubCommand {
			t.Errorf("%s: type %d, want SUB_COMMAND", o.Name, o.Type)
		}
		subs[o.Name] = o
		names = append(names, o.Name)
	}
	for _, want := range []string{"brief", "quotes", "facts", "sources", "help", "ask", "subscribe", "unsubscribe", "schedule"} {
		if _, ok := subs[want]; !ok {
			t.Errorf("sub-command %q missing (have %v)", want, names)
		}
	}
	for name, arg := range map[string]string{"ask": "question", "subscribe": "schedule"} {
		o := subs[name].Options
		if len(o) != 1 || o[0].Name != arg || o[0].Type != optionString || !o[0].Required {
			t.Errorf("%s options %+v, want one required STRING %q", name, o, arg)
		}
	}
	if len(subs["brief"].Options) != 0 {
		t.Error("brief takes no option")
	}

	for _, bad := range [][]bot.Command{
		nil,
		{{Name: "Brief", Description: "x"}},
		{{Name: "has space", Description: "x"}},
		{{Name: "ask", Description: "x", Arg: "the question"}},
	} {
		if _, err := definitions(bad, true); err == nil {
			t.Errorf("definitions(%+v) accepted", bad)
		}
	}
	long := []bot.Command{{Name: "x", Description: strings.Repeat("d", 150)}}
	if defs, err := definitions(long, true); err != nil || size(defs[0].Options[0].Description) != 100 {
		t.Errorf("a long description is cut to 100: %v", err)
	}
}

// discord register bulk-overwrites globally or in one guild; the fake
// checks Discord's naming and size rules.
func TestRegister(t *testing.T) {
	fake := discordtest.New(discordtest.Options{})
	defer fake.Close()
	a, _ := newTestAdapter(t, fake, nil, nil, nil)
	if err := a.Register(t.Context(), "", bot.Commands()); err != nil {
		t.Fatal(err)
	}
	if err := a.Register(t.Context(), "200000000000000002", bot.Commands()); err != nil {
		t.Fatal(err)
	}
	puts := fake.Commands()
	if len(puts) != 2 || puts[0].GuildID != "" || puts[1].GuildID != "200000000000000002" {
		t.Fatalf("puts %+v", puts)
	}
	file, err := os.ReadFile(commandsFile)
	if err != nil {
		t.Fatal(err)
	}
	var sent, want any
	if err := json.Unmarshal(puts[0].Body, &sent); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(file, &want); err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(sent, want) {
		t.Errorf("global overwrite differs from %s:\n%s", commandsFile, puts[0].Body)
	}
	// Guild commands cannot carry contexts or integration types.
	if bytes.Contains(puts[1].Body, []byte("contexts")) || bytes.Contains(puts[1].Body, []byte("integration_types")) {
		t.Errorf("guild overwrite with global-only fields: %s", puts[1].Body)
	}
	if err := a.Register(t.Context(), "not-a-guild", bot.Commands()); err == nil {
		t.Error("a bad guild id was accepted")
	}
	noToken, _ := New(Config{APIURL: fake.URL()}, nil, nil)
	if err := noToken.Register(t.Context(), "", bot.Commands()); err == nil {
		t.Error("Register without a token accepted")
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
