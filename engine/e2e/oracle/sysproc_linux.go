package oracle

import "syscall"

// sysProcAttr makes the kernel kill a JVM we started if the test binary dies
// before its cleanups run (a -timeout panic, a kill): no orphaned brokers.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
