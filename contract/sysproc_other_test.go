//go:build unix && !linux

package contract

import "syscall"

// sysProcAttr puts a child in its own process group, so that stopping it
// stops what it started.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
