package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/alexa-brief/alexa-brief/bot"
)

// commandDef and optionDef are Discord's application command JSON, kept to
// the fields we set so the generated deploy/discord/commands.json reads well.
type commandDef struct {
	Name             string      `json:"name"`
	Type             int         `json:"type"`
	Description      string      `json:"description"`
	Options          []optionDef `json:"options,omitempty"`
	Contexts         []int       `json:"contexts,omitempty"`
	IntegrationTypes []int       `json:"integration_types,omitempty"`
}

type optionDef struct {
	Type        int         `json:"type"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Required    bool        `json:"required,omitempty"`
	Options     []optionDef `json:"options,omitempty"`
}

// Discord's numbers.
const (
	commandChatInput  = 1
	optionSubCommand  = 1
	optionString      = 3
	contextGuild      = 0
	contextBotDM      = 1
	installGuild      = 0
	maxCommandOptions = 25
	maxDescriptionLen = 100
)

var commandNameRE = regexp.MustCompile(`^[-_'\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

func checkName(name string) error {
	if !commandNameRE.MatchString(name) || strings.ToLower(name) != name {
		return fmt.Errorf("%q is not a valid Discord command or option name (1–32 lowercase letters, digits, - or _)", name)
	}
	return nil
}

func description(s, fallback string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		s = fallback
	}
	return truncate(s, maxDescriptionLen)
}

// definitions turns the command table into /alexa-brief with one
// sub-command per verb, its free-text argument a STRING option. Global
// commands say where they may run (guilds and DMs with the bot); guild
// commands must not carry those fields.
func definitions(cmds []bot.Command, global bool) ([]commandDef, error) {
	if len(cmds) == 0 {
		return nil, errors.New("no commands")
	}
	if len(cmds) > maxCommandOptions {
		return nil, fmt.Errorf("%d sub-commands, Discord allows %d", len(cmds), maxCommandOptions)
	}
	root := commandDef{
		Name:        CommandName,
		Type:        commandChatInput,
		Description: "Briefs you on the news story: the brief, quotes, key figures and answers",
	}
	if global {
		root.Contexts = []int{contextGuild, contextBotDM}
		root.IntegrationTypes = []int{installGuild}
	}
	for _, c := range cmds {
		if err := checkName(c.Name); err != nil {
			return nil, err
		}
		sub := optionDef{Type: optionSubCommand, Name: c.Name, Description: description(c.Description, c.Usage)}
		if c.Arg != "" {
			name := strings.ToLower(c.Arg)
			if err := checkName(name); err != nil {
				return nil, fmt.Errorf("%s: %w", c.Name, err)
			}
			sub.Options = []optionDef{{
				Type:        optionString,
				Name:        name,
				Description: description(c.ArgDescription, c.Usage),
				Required:    c.ArgRequired,
			}}
		}
		root.Options = append(root.Options, sub)
	}
	return []commandDef{root}, nil
}

// CommandsJSON is the global command definition as the bulk overwrite takes
// it, indented: the content of deploy/discord/commands.json.
func CommandsJSON(cmds []bot.Command) ([]byte, error) {
	defs, err := definitions(cmds, true)
	if err != nil {
		return nil, fmt.Errorf("discord: commands: %w", err)
	}
	b, err := json.MarshalIndent(defs, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("discord: commands: %w", err)
	}
	return append(b, '\n'), nil
}

// Register bulk-overwrites the application's commands: globally when
// guildID is empty, else in that guild only (guild commands update at once,
// handy while testing).
func (a *Adapter) Register(ctx context.Context, guildID string, cmds []bot.Command) error {
	if a.rest.token == "" {
		return fmt.Errorf("discord: register: %w", errNoToken)
	}
	if guildID != "" && !isSnowflake(guildID) {
		return fmt.Errorf("discord: register: guild %q is not a Discord id", guildID)
	}
	defs, err := definitions(cmds, guildID == "")
	if err != nil {
		return fmt.Errorf("discord: register: %w", err)
	}
	path := "applications/" + a.cfg.AppID + "/commands"
	if guildID != "" {
		path = "applications/" + a.cfg.AppID + "/guilds/" + guildID + "/commands"
	}
	if err := a.rest.do(ctx, http.MethodPut, path, defs, nil); err != nil {
		return fmt.Errorf("discord: register: %w", err)
	}
	return nil
}
