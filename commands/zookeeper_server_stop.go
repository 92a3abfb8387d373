package commands

import (
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v2"
)

// zookeeper-server-stop
//
// Kafka's bin/zookeeper-server-stop.sh sends $SIGNAL (default TERM) to every
// process running QuorumPeerMain. We stop exactly the server this
// distribution started: the pid in $LOG_DIR/zookeeper.pid, if that process
// still runs zookeeper-server-start. None: "No zookeeper server to stop",
// exit 1, as the script.

func newZooKeeperServerStop(env *Env) *cli.App {
	return &cli.App{
		Usage: "Stop the ZooKeeper-compatible server started by zookeeper-server-start.",
		Action: func(c *cli.Context) error {
			if c.Args().Len() == 1 && c.Args().First() == "--version" {
				fmt.Fprintln(env.Out, versionLine())
				return nil
			}
			return exit(runZooKeeperServerStop(env))
		},
	}
}

func runZooKeeperServerStop(env *Env) int {
	pid, ok := readPidFile(filepath.Join(logDir(env), zkPidFile))
	if !ok || !processRuns(pid, zkStartAppName) {
		fmt.Fprintln(env.Out, "No zookeeper server to stop")
		return 1
	}
	sig := env.Getenv("SIGNAL")
	if sig == "" {
		sig = "TERM"
	}
	if err := signalProcess(pid, sig); err != nil {
		fmt.Fprintf(env.Err, "kill: %v\n", err)
		return 1
	}
	return 0
}
