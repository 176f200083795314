package power

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCommand(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "cycled")
	tests := []struct {
		name    string
		cmd     Command
		wantErr string // substring; "" means success
		check   func(t *testing.T)
	}{
		{name: "empty", cmd: Command{}, wantErr: ErrNotConfigured.Error()},
		{name: "runs", cmd: Command{Argv: []string{"sh", "-c", "echo on > " + marker}}, check: func(t *testing.T) {
			b, err := os.ReadFile(marker)
			if err != nil || strings.TrimSpace(string(b)) != "on" {
				t.Fatalf("marker = %q, %v", b, err)
			}
		}},
		{name: "fails with output", cmd: Command{Argv: []string{"sh", "-c", "echo gpio busy >&2; exit 3"}}, wantErr: "gpio busy"},
		{name: "missing program", cmd: Command{Argv: []string{filepath.Join(dir, "nope")}}, wantErr: "nope"},
		{name: "timeout", cmd: Command{Argv: []string{"sleep", "30"}, Timeout: 50 * time.Millisecond}, wantErr: "killed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cmd.PowerCycle(context.Background())
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("PowerCycle: %v", err)
				}
				if tt.check != nil {
					tt.check(t)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("PowerCycle error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestNone(t *testing.T) {
	if err := (None{}).PowerCycle(context.Background()); !errors.Is(err, ErrNotConfigured) {
		t.Fatalf("None.PowerCycle = %v, want ErrNotConfigured", err)
	}
}

func TestCommandContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (Command{Argv: []string{"sleep", "30"}}).PowerCycle(ctx); err == nil {
		t.Fatal("PowerCycle with a cancelled context succeeded")
	}
}
