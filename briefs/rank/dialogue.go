package rank

import (
	"slices"
	"strings"

	"github.com/alexa-brief/alexa-brief/briefs/text"
)

// Conversation: how a question refers back to the one before.

// IsGeneric reports whether a question asks about the story as a whole
// ("what happened?") rather than for a fact.
func (q Question) IsGeneric() bool {
	cue := false
	for _, w := range q.Words {
		switch {
		case text.GenericCues[w]:
			cue = true
		case text.GenericWords[w]:
		default:
			return false
		}
	}
	return cue
}

// IsMore reports "tell me more", "anything else?" and the like.
func (q Question) IsMore() bool { return text.MoreRequests[strings.Join(q.Words, " ")] }

// IsElseSaid reports "what else did he say?", "did she say anything
// else?", "other quotes from him?".
func (q Question) IsElseSaid() bool {
	if q.IsMore() {
		return false
	}
	other, speech := false, false
	for _, w := range q.Words {
		switch {
		case text.OtherWords[w]:
			other = true
		case text.SpeechVerbs[w] || text.QuoteWords[w]:
			speech = true
		}
	}
	return other && speech
}

// HasPronoun reports a third-person pronoun that may stand for the person
// of the last answer.
func (q Question) HasPronoun() bool {
	for _, w := range q.Words {
		if text.Pronouns[w] != text.Unknown || w == "they" || w == "them" || w == "their" {
			return true
		}
	}
	return false
}

// IsConstraint reports a question that only narrows the previous one:
// "and in 2021?", "what about Ortega?", or a short fragment without a
// question word of its own.
func (q Question) IsConstraint() bool {
	ws := q.Words
	if len(ws) == 0 || q.IsMore() {
		return false
	}
	j := strings.Join(ws, " ")
	for _, p := range text.ConstraintOpeners {
		if strings.HasPrefix(j, p) {
			return true
		}
	}
	switch j {
	case "why", "when", "who", "how much", "where", "how many":
		return true
	}
	if len(q.Terms) <= 2 && len(ws) <= 3 {
		return !text.WhWords[ws[0]] && !text.Auxiliaries[ws[0]] && !text.Copulas[ws[0]] &&
			ws[0] != "do" && ws[0] != "are" && ws[0] != "were" && ws[0] != "have"
	}
	return false
}

// Narrow applies a follow-up's constraint to the previous question: its
// names and numbers replace the previous ones of the same kind, its other
// terms are added, and every new term must be in the answer. A new
// question word ("and when?") sets the answer type.
func (q Question) Narrow(next Question) Question {
	out := q
	out.Terms, out.Required = nil, nil
	out.Names = map[string]bool{}
	numeric := func(t string) bool { return t != "" && t[0] >= '0' && t[0] <= '9' }
	for _, t := range q.Terms {
		replaced := false
		for n := range next.Names {
			if q.Names[t] && numeric(t) == numeric(n) {
				replaced = true
			}
		}
		if !replaced {
			out.Terms = append(out.Terms, t)
			if q.Names[t] {
				out.Names[t] = true
			}
		}
	}
	for _, t := range next.Terms {
		if !slices.Contains(out.Terms, t) {
			out.Terms = append(out.Terms, t)
		}
		out.Required = append(out.Required, t)
		if next.Names[t] {
			out.Names[t] = true
		}
	}
	if next.Want != 0 {
		out.Want = next.Want
	}
	out.Entities = append(append([]string{}, q.Entities...), next.Entities...)
	// "What did Ortega say?" then "what about Lindqvist?" asks what the
	// articles say of Lindqvist, quoted or not.
	if out.Speaker != "" && !slices.Contains(out.Terms, out.Speaker) {
		out.Speaker = ""
	}
	return out
}

// About makes the question about a person named in an earlier answer
// ("what did he say?"): the surname becomes a required name, and the
// speaker when the question asks what was said.
func (q Question) About(person string) Question {
	ws := text.Words(person)
	if len(ws) == 0 {
		return q
	}
	sur := text.Norm(ws[len(ws)-1])
	out := q
	out.Terms = append([]string{}, q.Terms...)
	if !slices.Contains(out.Terms, sur) {
		out.Terms = append(out.Terms, sur) // counted once, as any term
	}
	out.Names = map[string]bool{sur: true}
	for t := range q.Names {
		out.Names[t] = true
	}
	for _, w := range q.Words {
		if text.SpeechVerbs[w] {
			// Where the person speaks the sentence may say only "he
			// said": the speaker check finds it, not the name.
			out.Speaker = sur
			return out
		}
	}
	out.Required = append(append([]string{}, q.Required...), sur)
	return out
}
