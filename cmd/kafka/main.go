// Command kafka is the multi-call binary behind every script of Kafka's bin/:
// called as kafka-topics.sh, kafka-topics or `kafka kafka-topics` it runs that tool.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/kafkago/kafka/commands"
)

func main() {
	// A closed stdout (`| head`) is an error for the tool to report, as in Java.
	signal.Ignore(syscall.SIGPIPE)
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		if s := <-sigs; s == syscall.SIGTERM {
			cancel(commands.ErrTerminated)
		} else {
			cancel(context.Canceled)
		}
		signal.Stop(sigs) // a second signal kills the process
	}()
	code := commands.Main(ctx, os.Args, commands.OSStdio())
	cancel(nil)
	os.Exit(code)
}
