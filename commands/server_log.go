package commands

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/kafkago/kafka/engine/zk"
)

// Servers log as Kafka's config/log4j.properties lays lines out:
// "[2026-11-25 10:00:00,123] INFO <message> (<logger>)", to stdout and to
// $LOG_DIR/server.log. The logger is the slog attribute zk.LogKeyLogger (the
// Java class a line would come from); other attributes follow the message as
// key=value.

// serverLogHandler is that layout as a slog.Handler.
type serverLogHandler struct {
	mu     *sync.Mutex
	w      io.Writer
	level  slog.Leveler
	logger string // from WithAttrs, else the default
	attrs  []slog.Attr
}

func newServerLogHandler(w io.Writer, level slog.Leveler, defaultLogger string) *serverLogHandler {
	return &serverLogHandler{mu: &sync.Mutex{}, w: w, level: level, logger: defaultLogger}
}

func (h *serverLogHandler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= h.level.Level()
}

func (h *serverLogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append([]slog.Attr(nil), h.attrs...)
	for _, a := range attrs {
		if a.Key == zk.LogKeyLogger {
			c.logger = a.Value.String()
			continue
		}
		c.attrs = append(c.attrs, a)
	}
	return &c
}

func (h *serverLogHandler) WithGroup(string) slog.Handler { return h }

func (h *serverLogHandler) Handle(_ context.Context, r slog.Record) error {
	logger := h.logger
	var b strings.Builder
	b.WriteString("[")
	b.WriteString(log4jTime(r.Time))
	b.WriteString("] ")
	b.WriteString(log4jLevel(r.Level))
	b.WriteString(" ")
	b.WriteString(r.Message)
	add := func(a slog.Attr) {
		if a.Key == zk.LogKeyLogger {
			logger = a.Value.String()
			return
		}
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(func(a slog.Attr) bool {
		add(a)
		return true
	})
	b.WriteString(" (")
	b.WriteString(logger)
	b.WriteString(")\n")
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

// log4jLevel is log4j's level name.
func log4jLevel(l slog.Level) string {
	switch {
	case l < slog.LevelInfo:
		return "DEBUG"
	case l < slog.LevelWarn:
		return "INFO"
	case l < slog.LevelError:
		return "WARN"
	}
	return "ERROR"
}

// distBaseDir is the directory above bin/, Kafka's scripts' base_dir: the
// real binary's directory's parent.
func distBaseDir() string {
	exe, err := os.Executable()
	if err != nil {
		return "."
	}
	if r, err := filepath.EvalSymlinks(exe); err == nil {
		exe = r
	}
	return filepath.Dir(filepath.Dir(exe))
}

// logDir is $LOG_DIR, by default logs/ beside bin/ (kafka-run-class.sh).
func logDir(env *Env) string {
	if d := env.Getenv("LOG_DIR"); d != "" {
		return d
	}
	return filepath.Join(distBaseDir(), "logs")
}

// openServerLog creates the log directory and opens file in it for
// appending; on failure it says so as log4j would and returns nil, and the
// server logs to stdout only.
func openServerLog(env *Env, dir, file string) *os.File {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(env.Err, "log4j:ERROR setFile(%s,true) call failed.\n%v\n", filepath.Join(dir, file), err)
		return nil
	}
	f, err := os.OpenFile(filepath.Join(dir, file), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintf(env.Err, "log4j:ERROR setFile(%s,true) call failed.\n%v\n", filepath.Join(dir, file), err)
		return nil
	}
	return f
}
