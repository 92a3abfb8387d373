package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/kafkago/kafka/config"
	"github.com/kafkago/kafka/engine/zk"
)

// zookeeper-server-start [-daemon] zookeeper.properties
//
// bin/zookeeper-server-start.sh runs ZooKeeper's QuorumPeerMain with the
// properties file; we run our coordination server (engine/zk), standalone.
//
//   - No arguments: "USAGE: <prog> [-daemon] zookeeper.properties", exit 1.
//     --version prints the version line every applet prints.
//   - The file is loaded with every ZooKeeper key; unknown keys warn by name,
//     bad values fail as "file:line: key: problem" and the applet exits 2
//     after "Invalid config, exiting abnormally" (QuorumPeerMain's exit code).
//   - server.N lines that make a quorum are refused: standalone only, use an
//     Apache ZooKeeper ensemble for a quorum. A single server.N line runs
//     standalone, as ZooKeeper does, with a warning.
//   - It logs to stdout and $LOG_DIR/server.log (LOG_DIR defaults to logs/
//     beside bin/), in log4j's "[date] LEVEL message (class)" layout, and
//     writes $LOG_DIR/zookeeper.pid while it serves, which
//     zookeeper-server-stop reads.
//   - Ctrl-C or SIGTERM shut it down cleanly (exit 130 or 143, as the JVM).
//   - -daemon (first argument only): start the same command detached with
//     its output in $LOG_DIR/zookeeper.out and exit 0 at once, as
//     kafka-run-class.sh's nohup does.

const (
	zkPidFile      = "zookeeper.pid"
	zkDaemonOut    = "zookeeper.out"
	zkServerLog    = "server.log"
	classPeerMain  = "org.apache.zookeeper.server.quorum.QuorumPeerMain"
	classPeerConf  = "org.apache.zookeeper.server.quorum.QuorumPeerConfig"
	zkInvalidConf  = "Invalid config, exiting abnormally"
	zkStartAppName = "zookeeper-server-start"
)

func newZooKeeperServerStart(env *Env) *cli.App {
	return &cli.App{
		Usage:     "Start a ZooKeeper-compatible coordination server (standalone).",
		ArgsUsage: "[-daemon] zookeeper.properties",
		Action: func(c *cli.Context) error {
			return exit(runZooKeeperServerStart(env, c.Args().Slice()))
		},
	}
}

func runZooKeeperServerStart(env *Env, args []string) int {
	if len(args) == 1 && args[0] == "--version" {
		fmt.Fprintln(env.Out, versionLine())
		return 0
	}
	daemon := false
	if len(args) > 0 && args[0] == "-daemon" {
		daemon = true
		args = args[1:]
	}
	if len(args) < 1 {
		fmt.Fprintf(env.Out, "USAGE: %s [-daemon] zookeeper.properties\n", env.Prog)
		return 1
	}
	if len(args) > 1 {
		fmt.Fprintln(env.Err, "Invalid arguments, exiting abnormally")
		fmt.Fprintln(env.Err, "Usage: ZooKeeperServerMain configfile | port datadir [ticktime] [maxcnxns]")
		return 2
	}
	dir := logDir(env)
	if daemon {
		return startDaemon(env, dir, zkDaemonOut, append([]string{zkStartAppName}, args...))
	}
	var out io.Writer = env.Out
	if f := openServerLog(env, dir, zkServerLog); f != nil {
		defer f.Close()
		out = io.MultiWriter(env.Out, f)
	}
	logger := slog.New(newServerLogHandler(out, slog.LevelInfo, classPeerMain))
	return serveZooKeeper(env, logger, args[0], dir)
}

// logAs logs msg at level attributed to a Java class.
func logAs(l *slog.Logger, level slog.Level, class, msg string) {
	l.Log(context.Background(), level, msg, zk.LogKeyLogger, class)
}

func serveZooKeeper(env *Env, logger *slog.Logger, path, dir string) int {
	logAs(logger, slog.LevelInfo, classPeerConf, "Reading configuration from: "+path)
	cfg, warnings, err := config.LoadZooKeeper(path, nil)
	for _, w := range warnings {
		logAs(logger, slog.LevelWarn, classPeerConf, w.String())
	}
	invalid := func(lines ...string) int {
		logAs(logger, slog.LevelError, classPeerMain, zkInvalidConf)
		for _, l := range lines {
			logAs(logger, slog.LevelError, classPeerMain, l)
		}
		fmt.Fprintln(env.Err, zkInvalidConf)
		return 2
	}
	if err != nil {
		var es config.Errors
		if errors.As(err, &es) {
			lines := make([]string, len(es))
			for i, e := range es {
				lines[i] = e.Error()
			}
			return invalid(lines...)
		}
		return invalid(err.Error())
	}
	if cfg.Distributed() {
		return invalid(serverLinesMsg(cfg, path) + ": " + strings.TrimPrefix(zk.ErrQuorum.Error(), "zk: "))
	}
	if cfg.ClientPort == 0 {
		return invalid(path + ": clientPort is not set")
	}
	addr := cfg.ClientPortAddress
	if addr == "" {
		addr = "0.0.0.0"
	}
	logAs(logger, slog.LevelInfo, classPeerConf, "clientPortAddress is "+addr+":"+strconv.Itoa(cfg.ClientPort))
	if cfg.SecureClientPort != 0 {
		logAs(logger, slog.LevelWarn, classPeerConf, "secureClientPort is set but TLS is not supported: only clientPort is served")
	} else {
		logAs(logger, slog.LevelInfo, classPeerConf, "secureClientPort is not set")
	}
	logAs(logger, slog.LevelInfo, classPeerConf, "observerMasterPort is not set")
	if cfg.AdminEnableServer {
		logAs(logger, slog.LevelWarn, classPeerConf, "admin.enableServer is set but the AdminServer is not provided: use the four-letter words")
	}
	if len(cfg.Servers()) > 0 {
		logAs(logger, slog.LevelWarn, classPeerMain, serverLinesMsg(cfg, path)+": "+strings.TrimPrefix(zk.ErrQuorum.Error(), "zk: ")+"; running this one server standalone")
	} else {
		logAs(logger, slog.LevelWarn, classPeerMain, "Either no config or no quorum defined in config, running in standalone mode")
	}

	srv, err := zk.New(cfg, logger)
	if err != nil {
		logAs(logger, slog.LevelError, classPeerMain, "Unexpected exception, exiting abnormally: "+err.Error())
		return 1
	}
	ctx, cancel := context.WithCancel(env.Ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ctx) }()
	pidPath := filepath.Join(dir, zkPidFile)
	select {
	case <-srv.Ready():
		if err := writePidFile(pidPath); err != nil {
			logAs(logger, slog.LevelWarn, classPeerMain, "cannot write "+pidPath+": "+err.Error()+" (zookeeper-server-stop will not find this server)")
		} else {
			defer removePidFile(pidPath)
		}
		err = <-errc
	case err = <-errc:
	}
	if err != nil {
		logAs(logger, slog.LevelError, classPeerMain, "Unexpected exception, exiting abnormally: "+err.Error())
		return 1
	}
	if env.Ctx.Err() != nil {
		return interruptCode(env.Ctx)
	}
	return 0
}

// serverLinesMsg names the server.N lines of a config ("config/zk.properties:
// server.1, server.2").
func serverLinesMsg(cfg config.ZooKeeper, path string) string {
	var names []string
	for _, s := range cfg.Servers() {
		names = append(names, "server."+strconv.FormatInt(s.ID, 10))
	}
	return path + ": " + strings.Join(names, ", ")
}

func writePidFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

// removePidFile removes the pid file if it is still ours.
func removePidFile(path string) {
	if pid, ok := readPidFile(path); ok && pid == os.Getpid() {
		_ = os.Remove(path)
	}
}

func readPidFile(path string) (int, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, true
}

// startDaemon runs this binary again with args (an applet and its
// arguments), detached, stdin from /dev/null and output in dir/outName
// (truncated), as kafka-run-class.sh -daemon does with nohup, and returns 0
// without waiting.
func startDaemon(env *Env, dir, outName string, args []string) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(env.Err, "%s: cannot find this program to run it as a daemon: %v\n", env.Name, err)
		return 1
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(env.Err, "%s: %v\n", env.Name, err)
		return 1
	}
	out, err := os.OpenFile(filepath.Join(dir, outName), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		fmt.Fprintf(env.Err, "%s: %v\n", env.Name, err)
		return 1
	}
	defer out.Close()
	cmd := &exec.Cmd{Path: exe, Args: append([]string{"kafka"}, args...), Stdout: out, Stderr: out}
	cmd.Env = append(os.Environ(), "LOG_DIR="+dir)
	cmd.SysProcAttr = detachedProcAttr()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(env.Err, "%s: %v\n", env.Name, err)
		return 1
	}
	_ = cmd.Process.Release()
	return 0
}
