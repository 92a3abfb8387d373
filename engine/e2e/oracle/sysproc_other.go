//go:build !linux

package oracle

import "syscall"

func sysProcAttr() *syscall.SysProcAttr { return nil }
