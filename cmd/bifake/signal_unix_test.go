//go:build unix

package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testSignal runs bifake as a real process (this test binary in main mode)
// and stops it with SIGTERM and SIGINT.
func testSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), "BIFAKE_TEST_MAIN=1", "BIFAKE_TEST_ARGS=-addr 127.0.0.1:0")
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			t.Cleanup(func() { _ = cmd.Process.Kill() })

			line, err := bufio.NewReader(stdout).ReadString('\n')
			require.NoError(t, err)
			var in info
			require.NoError(t, json.Unmarshal([]byte(line), &in))
			getToken(t, in) // it serves

			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			require.NoError(t, cmd.Process.Signal(sig))
			err = waitExit(t, done)
			assert.NoError(t, err, "clean exit")
			assert.Equal(t, 0, cmd.ProcessState.ExitCode())
		})
	}
}
