package main

import (
	"strings"
	"testing"
	"time"
)

func TestLoadConfigLLM(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	c, err := LoadConfig(env(nil))
	if err != nil || c.LLM.URL != "" || c.LLM.Timeout != 15*time.Second || c.LLM.MaxTokens != 512 {
		t.Fatalf("defaults: %+v, %v", c.LLM, err)
	}
	c, err = LoadConfig(env(map[string]string{
		"ALEXA_BRIEF_LLM_URL": "http://localhost:11434/v1", "ALEXA_BRIEF_LLM_MODEL": "qwen2.5:1.5b-instruct",
		"ALEXA_BRIEF_LLM_API_KEY": "sk-x", "ALEXA_BRIEF_LLM_TIMEOUT": "2s", "ALEXA_BRIEF_LLM_MAX_TOKENS": "256",
	}))
	want := LLMConfig{URL: "http://localhost:11434/v1", Model: "qwen2.5:1.5b-instruct", APIKey: "sk-x", Timeout: 2 * time.Second, MaxTokens: 256}
	if err != nil || c.LLM != want {
		t.Fatalf("got %+v, %v; want %+v", c.LLM, err, want)
	}
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"ALEXA_BRIEF_LLM_URL": "http://h/v1"}, "ALEXA_BRIEF_LLM_MODEL"},
		{map[string]string{"ALEXA_BRIEF_LLM_URL": "ftp://user:pw@h/", "ALEXA_BRIEF_LLM_MODEL": "m"}, "ALEXA_BRIEF_LLM_URL"},
		{map[string]string{"ALEXA_BRIEF_LLM_TIMEOUT": "26s"}, "ALEXA_BRIEF_LLM_TIMEOUT"},
		{map[string]string{"ALEXA_BRIEF_LLM_TIMEOUT": "0s"}, "ALEXA_BRIEF_LLM_TIMEOUT"},
		{map[string]string{"ALEXA_BRIEF_LLM_MAX_TOKENS": "many"}, "ALEXA_BRIEF_LLM_MAX_TOKENS"},
	} {
		_, err := LoadConfig(env(tt.env))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: err %v, want one naming %s", tt.env, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "pw") {
			t.Errorf("error %q echoes the URL's credentials", err)
		}
	}
}
