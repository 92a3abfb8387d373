package commands

import (
	"fmt"

	"github.com/kafkago/kafka/completions"
	"github.com/urfave/cli/v2"
)

// newCompletion is the hidden `kafka completion bash|zsh|fish` applet: it
// prints the completion script covering every applet name.
func newCompletion(env *Env) *cli.App {
	return &cli.App{
		Usage: "render shell completions",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				fmt.Fprintf(env.Err, "usage: %s bash|zsh|fish\n", env.Prog)
				return exit(2)
			}
			script, err := completions.Render(c.Args().First(), AppletNames())
			if err != nil {
				fmt.Fprintln(env.Err, err)
				return exit(2)
			}
			_, err = env.Out.Write(script)
			return err
		},
	}
}
