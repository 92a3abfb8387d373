// Package completions renders shell completion scripts that cover every
// applet name of the kafka binary. The rendered scripts are checked in beside
// this file (kafka.bash, kafka.zsh, kafka.fish) and packaged by goreleaser;
// a test in package commands fails when they go stale.
package completions

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"text/template"
)

var (
	//go:embed bash.tmpl
	bashTmpl string
	//go:embed zsh.tmpl
	zshTmpl string
	//go:embed fish.tmpl
	fishTmpl string
)

// Shells lists the shells Render knows.
func Shells() []string { return []string{"bash", "zsh", "fish"} }

// FileName is the checked-in file name for shell's script.
func FileName(shell string) string { return "kafka." + shell }

// Render returns the completion script for shell. Every name in applets is
// completed both bare and with .sh, and `kafka <applet>` completes applet
// names, then the applet's flags. Flags come from the binary itself at
// completion time (urfave/cli's --generate-bash-completion).
func Render(shell string, applets []string) ([]byte, error) {
	var src string
	switch shell {
	case "bash":
		src = bashTmpl
	case "zsh":
		src = zshTmpl
	case "fish":
		src = fishTmpl
	default:
		return nil, fmt.Errorf("completions: unknown shell %q (want one of %s)", shell, strings.Join(Shells(), ", "))
	}
	var names []string
	for _, a := range applets {
		names = append(names, a, a+".sh")
	}
	t, err := template.New(shell).Parse(src)
	if err != nil {
		return nil, fmt.Errorf("completions: %s template: %w", shell, err)
	}
	var b bytes.Buffer
	err = t.Execute(&b, map[string]any{
		"Applets": applets,
		"Names":   names,
		"All":     strings.Join(names, " "),
		"List":    strings.Join(applets, " "),
	})
	if err != nil {
		return nil, fmt.Errorf("completions: render %s: %w", shell, err)
	}
	return b.Bytes(), nil
}
