//go:build unix

package commands

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// detachedProcAttr starts a daemon in its own session, away from the
// terminal's signals (nohup ... &).
func detachedProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }

// processRuns reports whether pid is alive and, where /proc tells, runs a
// command line containing marker (so a recycled pid is not mistaken for the
// server).
func processRuns(pid int, marker string) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return !errors.Is(err, os.ErrNotExist) || !dirExists("/proc/self")
	}
	return bytes.Contains(b, []byte(marker))
}

func dirExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

var signalNames = map[string]syscall.Signal{
	"HUP": syscall.SIGHUP, "INT": syscall.SIGINT, "QUIT": syscall.SIGQUIT, "KILL": syscall.SIGKILL,
	"TERM": syscall.SIGTERM, "USR1": syscall.SIGUSR1, "USR2": syscall.SIGUSR2,
}

// signalProcess sends the signal named like kill -s does (TERM, SIGTERM, 15).
func signalProcess(pid int, name string) error {
	n := strings.TrimPrefix(strings.ToUpper(name), "SIG")
	sig, ok := signalNames[n]
	if !ok {
		num, err := strconv.Atoi(name)
		if err != nil {
			return fmt.Errorf("%s: invalid signal specification", name)
		}
		sig = syscall.Signal(num)
	}
	return syscall.Kill(pid, sig)
}
