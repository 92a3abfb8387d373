// Package commands holds one applet per script of Kafka's bin/ and the
// multi-call dispatch that picks one by the name the binary was called as.
package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// Build facts, set with -ldflags by the Makefile and goreleaser.
var (
	// Version is the version of this build of the binary.
	Version = "0.0.0-dev"
	// Commit is the git commit this binary was built from.
	Commit = "unknown"
)

// KafkaVersion is the Kafka release whose tools, outputs and protocols we reproduce.
const KafkaVersion = "2.8.2"

// Stdio is what a process is given by its parent: its streams and its environment.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
	// InTerminal and OutTerminal tell whether stdin and stdout are terminals.
	InTerminal, OutTerminal bool
	Getenv                  func(string) string
	Now                     func() time.Time
}

// OSStdio returns the real process's streams. Only cmd/ calls it.
func OSStdio() Stdio {
	return Stdio{
		In:          os.Stdin,
		Out:         os.Stdout,
		Err:         os.Stderr,
		InTerminal:  term.IsTerminal(int(os.Stdin.Fd())),
		OutTerminal: term.IsTerminal(int(os.Stdout.Fd())),
		Getenv:      os.Getenv,
		Now:         time.Now,
	}
}

// Env is what every applet is built with. Nothing in an applet reaches for
// os.Stdin, os.Getenv or the clock directly.
type Env struct {
	Stdio
	Ctx    context.Context
	Logger *slog.Logger
	// Name is the applet's name (kafka-topics), Prog the name it was called by.
	Name, Prog string

	exitCode int
}

// applet is one row of the applet table.
type applet struct {
	new    func(env *Env) *cli.App
	usage  string
	hidden bool
}

// applets is the literal applet table: one entry per bin script we ship.
// Scripts of Kafka's bin/ that are not here are not provided yet (see README).
func applets() map[string]applet {
	return map[string]applet{
		"kafka-topics":           {newKafkaTopics, "Create, delete, describe, or change a topic.", false},
		"kafka-console-producer": {newKafkaConsoleProducer, "Read data from standard input and publish it to Kafka.", false},
		"kafka-console-consumer": {newKafkaConsoleConsumer, "Read data from Kafka topics and write it to standard output.", false},
		"zookeeper-server-start": {newZooKeeperServerStart, "Start a ZooKeeper-compatible coordination server (standalone).", false},
		"zookeeper-server-stop":  {newZooKeeperServerStop, "Stop the server zookeeper-server-start started.", false},
		"zookeeper-shell":        {newZookeeperShell, "Run ZooKeeper's command-line client (zkCli) against a server.", false},
		"completion":             {newCompletion, "Render shell completions for every applet name.", true},
	}
}

// AppletNames lists the public applet names (the bin scripts), sorted.
func AppletNames() []string {
	var names []string
	for name, a := range applets() {
		if !a.hidden {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// appletName maps a program name (argv[0]) to an applet name:
// the base name without .sh, .bat, .cmd or .exe.
func appletName(argv0 string) string {
	base := filepath.Base(strings.ReplaceAll(argv0, "\\", "/"))
	for _, ext := range []string{".sh", ".bat", ".cmd", ".exe"} {
		if strings.HasSuffix(strings.ToLower(base), ext) {
			base = base[:len(base)-len(ext)]
			break
		}
	}
	return base
}

// Main runs the binary as called by args (args[0] is the program name) and
// returns the process exit code.
func Main(ctx context.Context, args []string, stdio Stdio) int {
	if stdio.Getenv == nil {
		stdio.Getenv = func(string) string { return "" }
	}
	if stdio.Now == nil {
		stdio.Now = time.Now
	}
	if stdio.In == nil {
		stdio.In = strings.NewReader("")
	}
	if len(args) == 0 {
		args = []string{"kafka"}
	}
	table := applets()
	name := appletName(args[0])
	if _, ok := table[name]; ok {
		return runApplet(ctx, table, name, args[0], args[1:], stdio)
	}
	// Called as kafka (or any other name): the first argument names the applet.
	prog := name
	rest := args[1:]
	if len(rest) == 0 {
		printAppletList(stdio.Err, prog)
		return 1
	}
	switch rest[0] {
	case "--version", "-version", "version":
		fmt.Fprintf(stdio.Out, "%s version %s (Kafka %s compatible, commit %s)\n", prog, Version, KafkaVersion, Commit)
		return 0
	case "help", "--help", "-h", "-help":
		printAppletList(stdio.Out, prog)
		return 0
	case "applets": // for scripts (make dist): one public applet name per line
		for _, n := range AppletNames() {
			fmt.Fprintln(stdio.Out, n)
		}
		return 0
	}
	sub := appletName(rest[0])
	if _, ok := table[sub]; !ok {
		fmt.Fprintf(stdio.Err, "%s: unknown applet %q\n", prog, rest[0])
		printAppletList(stdio.Err, prog)
		return 1
	}
	return runApplet(ctx, table, sub, prog+" "+sub, rest[1:], stdio)
}

func printAppletList(w io.Writer, prog string) {
	fmt.Fprintf(w, "Usage: %s <applet> [options]\n", prog)
	fmt.Fprintf(w, "   or: <applet>[.sh] [options]   (with %s linked or copied under the applet's name)\n\n", prog)
	fmt.Fprintln(w, "Applets:")
	table := applets()
	for _, n := range AppletNames() {
		fmt.Fprintf(w, "  %-26s %s\n", n, table[n].usage)
	}
	fmt.Fprintf(w, "\nRun `%s <applet> --help` for an applet's options. `%s --version` prints the version.\n", prog, prog)
}

func runApplet(ctx context.Context, table map[string]applet, name, prog string, args []string, stdio Stdio) int {
	env := &Env{
		Stdio:  stdio,
		Ctx:    ctx,
		Name:   name,
		Prog:   prog,
		Logger: slog.New(slog.NewTextHandler(stdio.Err, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	app := table[name].new(env)
	app.Name = name
	app.HelpName = prog
	app.Reader = stdio.In
	app.Writer = stdio.Out
	app.ErrWriter = stdio.Err
	app.HideHelp = true
	app.HideVersion = true
	app.EnableBashCompletion = true
	app.DisableSliceFlagSeparator = true
	app.SkipFlagParsing = true
	if app.BashComplete == nil {
		app.BashComplete = completeFlags(app)
	}
	app.ExitErrHandler = func(_ *cli.Context, err error) {
		if err == nil {
			return
		}
		if ec, ok := err.(cli.ExitCoder); ok {
			if msg := ec.Error(); msg != "" {
				fmt.Fprintln(stdio.Err, msg)
			}
			env.exitCode = ec.ExitCode()
			return
		}
		fmt.Fprintf(stdio.Err, "%s: %v\n", name, err)
		env.exitCode = 1
	}
	if err := app.RunContext(ctx, append([]string{prog}, args...)); err != nil && env.exitCode == 0 {
		env.exitCode = 1
	}
	return env.exitCode
}

// completeFlags answers --generate-bash-completion with the applet's flags
// that start with the word being completed.
func completeFlags(app *cli.App) cli.BashCompleteFunc {
	return func(c *cli.Context) {
		args := c.Args().Slice()
		cur := ""
		if len(args) > 0 {
			cur = args[len(args)-1]
		}
		for _, f := range app.Flags {
			for _, n := range f.Names() {
				flag := "--" + n
				if strings.HasPrefix(flag, cur) || cur == "" {
					fmt.Fprintln(c.App.Writer, flag)
				}
			}
		}
	}
}

// ErrTerminated is the cause cmd/ gives the context when the process gets
// SIGTERM; any other cancellation counts as an interrupt (Ctrl-C).
var ErrTerminated = errors.New("commands: terminated (SIGTERM)")

// interruptCode is the exit status of a JVM stopped by a signal, as Kafka's
// tools exit: 143 after SIGTERM, 130 after SIGINT.
func interruptCode(ctx context.Context) int {
	if errors.Is(context.Cause(ctx), ErrTerminated) {
		return 143
	}
	return 130
}

// exit ends an applet with code after it has printed what it had to say.
func exit(code int) error {
	if code == 0 {
		return nil
	}
	return cli.Exit("", code)
}
