// Package config reads the agent's TOML configuration file.
//
// A store operator edits this file by hand on a Pi, often over a slow SSH
// link, so every mistake is reported with the line and the field it is on,
// and all mistakes at once rather than one per restart.
package config
