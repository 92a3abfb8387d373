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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := commands.Main(ctx, os.Args, commands.OSStdio())
	stop()
	os.Exit(code)
}
