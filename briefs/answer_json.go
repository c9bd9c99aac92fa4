package briefs

import (
	"bytes"
	"encoding/json"
)

// Answer modes, set only when a language model is configured: the JSON
// shape without one is the one the contract had before written answers.
const (
	ModeExtractive = "extractive"
	ModeWritten    = "written"
)

// plainAnswer is Answer without its JSON methods.
type plainAnswer Answer

// modalAnswer is the JSON of an answer given with a model configured.
type modalAnswer struct {
	plainAnswer
	Mode    string `json:"mode"`
	Dropped int    `json:"dropped"`
}

// MarshalJSON writes mode and dropped only when Mode is set, so that with no
// model configured the ask JSON keeps its shape, and with one "dropped": 0
// is still written (omitempty would hide it).
func (a Answer) MarshalJSON() ([]byte, error) {
	var v any = plainAnswer(a)
	if a.Mode != "" {
		v = modalAnswer{plainAnswer(a), a.Mode, a.Dropped}
	}
	// An encoder without HTML escaping: the caller's encoder escapes the
	// result if it wants to, and one that does not (the CLI) must not get
	// "\u0026" for the "&" of an article.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads both shapes, so stored conversations keep the mode of
// their answers.
func (a *Answer) UnmarshalJSON(data []byte) error {
	var v modalAnswer
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*a = Answer(v.plainAnswer)
	a.Mode, a.Dropped = v.Mode, v.Dropped
	return nil
}
