package bot

// Command is one entry of the /alexa-brief command table. The table
// (Commands) is the single source for help text, the Discord command
// definitions and the Slack manifest's usage hint.
type Command struct {
	Name        string   // "brief", "ask", …
	Aliases     []string // other words that select it
	Usage       string   // "ask <question>"
	Description string   // one line, at most 100 characters (Discord's limit)
	Examples    []string // full texts after /alexa-brief
	// Arg names the free-text argument ("question", "schedule"), empty when
	// the command takes none; ArgDescription describes it; ArgRequired says
	// whether it must be given.
	Arg            string
	ArgDescription string
	ArgRequired    bool
	// Manage marks commands that change channel state (subscribe,
	// unsubscribe): adapters that know permissions set Request.CanManage.
	Manage bool
}
