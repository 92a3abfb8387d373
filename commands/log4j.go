package commands

import (
	"fmt"
	"io"
	"time"
)

// Kafka's tools log through log4j with config/tools-log4j.properties: WARN
// and above, to stderr, pattern `[%d] %p %m (%c)%n` (reference/cli.md §0.3).

// log4jTime formats t as log4j's ISO8601 date: 2021-06-01 12:34:56,789.
func log4jTime(t time.Time) string {
	return t.Format("2006-01-02 15:04:05") + fmt.Sprintf(",%03d", t.Nanosecond()/1e6)
}

// log4j writes one log line the way tools-log4j.properties lays it out.
func (env *Env) log4j(level, msg, logger string) {
	fmt.Fprintf(env.Err, "[%s] %s %s (%s)\n", log4jTime(env.Now()), level, msg, logger)
}

// uncaught prints what the JVM prints for an exception nobody caught; the
// caller exits 1. Stack frames are not reproduced (ARCHITECTURE.md, Fidelity).
func uncaught(w io.Writer, class, msg string) error {
	fmt.Fprintf(w, "Exception in thread \"main\" %s: %s\n", class, msg)
	return exit(1)
}
