package commands

import (
	"bytes"
	"flag"
	"sync"
	"time"
)

// updateGolden rewrites our own goldens (testdata/golden/<applet>/) from the
// current output. Files recorded from Kafka or the JDK (testdata/oracle/,
// *.vectors) are never rewritten.
var updateGolden = flag.Bool("update", false, "rewrite our golden files from the current output")

// fixedTime is the clock of the tests' log lines; fixedLogTime its log4j form.
var fixedTime = time.Date(2021, 6, 1, 12, 34, 56, 789e6, time.Local)

const fixedLogTime = "[2021-06-01 12:34:56,789]"

// syncBuffer is a bytes.Buffer safe for the client goroutines that log.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
