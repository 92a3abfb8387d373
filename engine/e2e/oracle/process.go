package oracle

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// server is one long-running JVM we started (ZooKeeper or a broker). Its
// stdout and stderr go to a file, so nothing has to drain a pipe.
type server struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	done    chan struct{} // closed when the process has been reaped
	waitErr error
}

func startServer(name string, argv []string, logPath string) (*server, error) {
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("oracle: %s log: %w", name, err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout = f
	cmd.Stderr = f
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("oracle: start %s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		s.waitErr = cmd.Wait()
		f.Close()
		close(s.done)
	}()
	return s, nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM to this one process, waits up to grace for it to exit,
// then sends SIGKILL. It never signals anything but the PID it started.
func (s *server) stop(grace time.Duration) {
	if s.exited() {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		return
	case <-time.After(grace):
	}
	_ = s.cmd.Process.Kill()
	<-s.done
}

// log returns the server's console output so far.
func (s *server) log() string {
	b, _ := os.ReadFile(s.logPath)
	return string(b)
}

// logTail returns the last n lines of the console output, for failure messages.
func (s *server) logTail(n int) string {
	return tailLines(s.log(), n)
}

func tailLines(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// freePort asks the kernel for a free TCP port on 127.0.0.1. Another process
// may take it before the server binds; callers retry on a bind failure.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("oracle: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// bindFailed reports whether a server's output says its port was taken.
func bindFailed(log string) bool {
	return strings.Contains(log, "Address already in use") || strings.Contains(log, "BindException")
}

// writeProperties writes key=value lines, in order.
func writeProperties(path string, kv [][2]string) error {
	var b bytes.Buffer
	for _, p := range kv {
		fmt.Fprintf(&b, "%s=%s\n", p[0], p[1])
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
