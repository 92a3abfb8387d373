package commands

import "github.com/urfave/cli/v2"

// newKafkaConsoleProducer is a placeholder being replaced by the real applet.
func newKafkaConsoleProducer(env *Env) *cli.App {
	return &cli.App{Action: func(c *cli.Context) error { return cli.Exit("not implemented", 1) }}
}
