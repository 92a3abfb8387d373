//go:build windows

package commands

import (
	"os"
	"syscall"
)

// detachedProcAttr starts a daemon without a console, in its own process
// group.
func detachedProcAttr() *syscall.SysProcAttr {
	const detachedProcess = 0x00000008
	return &syscall.SysProcAttr{CreationFlags: detachedProcess | syscall.CREATE_NEW_PROCESS_GROUP}
}

// processRuns reports whether pid is a live process.
func processRuns(pid int, _ string) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}

// signalProcess ends the process: Windows has no signals to choose from.
func signalProcess(pid int, _ string) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}
