package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"

	"github.com/alexa-brief/alexa-brief/adapters/discord"
	"github.com/alexa-brief/alexa-brief/bot"
)

const usageDiscordRegister = "alexa-brief discord register [--guild ID]"

// Send Messages (1<<11) and Embed Links (1<<14) to post digests and DM
// answers, and Read Message History (1<<16) so a replica taking over a
// digest claim can see whether the dead owner already posted it.
// Interaction replies need no permission at all.
const discordPermissions = 1<<11 | 1<<14 | 1<<16

// cmdDiscord runs the Discord operator actions.
func cmdDiscord(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("discord: missing action\nusage: %s", usageDiscordRegister)
	}
	switch args[0] {
	case "register":
		return discordRegister(ctx, e, args[1:])
	case "help", "-h", "--help", "-help":
		fmt.Fprintf(e.stdout, "usage: %s\n", usageDiscordRegister)
		return nil
	}
	return usagef("discord: unknown action %q\nusage: %s", args[0], usageDiscordRegister)
}

// discordRegister bulk-overwrites /alexa-brief from the command table:
// globally, or in one guild where changes show at once.
func discordRegister(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("discord register", flag.ContinueOnError)
	guild := fs.String("guild", "", "register in this guild only (updates at once; for testing)")
	if err := parseFlags(e, fs, args, usageDiscordRegister); err != nil {
		return helpOK(err)
	}
	if _, err := strconv.ParseUint(*guild, 10, 64); *guild != "" && err != nil {
		return usagef("discord register: --guild %q is not a Discord guild id (Server Settings → Widget → Server ID, or Copy Server ID in Developer Mode)", *guild)
	}
	c := e.cfg.Discord
	if c.AppID == "" {
		return usagef("discord register: DISCORD_APP_ID is not set (the Application ID on the Developer Portal's General Information page)")
	}
	if c.BotToken == "" {
		return usagef("discord register: DISCORD_BOT_TOKEN is not set (Developer Portal → Bot → Reset Token)")
	}
	a, err := discord.New(discord.Config{
		AppID:    c.AppID,
		BotToken: c.BotToken,
		APIURL:   c.APIURL,
		Logger:   newLogger(e.stderr, e.cfg),
	}, nil, nil)
	if err != nil {
		return usagef("discord register: %v", err)
	}
	cmds := bot.Commands()
	if err := a.Register(ctx, *guild, cmds); err != nil {
		return err
	}
	where := "globally"
	if *guild != "" {
		where = "in guild " + *guild
	}
	fmt.Fprintf(e.stdout, "registered /%s with %d sub-commands %s\n", discord.CommandName, len(cmds), where)
	fmt.Fprintf(e.stdout, "invite: https://discord.com/oauth2/authorize?client_id=%s&scope=bot+applications.commands&permissions=%d\n",
		c.AppID, discordPermissions)
	return nil
}
