package log

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

// TestConcurrentReads runs readers (fetches, timestamp lookups, offset
// queries) against a writer that appends, rolls, flushes, truncates and
// deletes segments. Run with -race. A reader may lose a race with retention
// or truncation (an offset out of range, a closed file), never see a batch
// that does not hold the offset it asked for.
func TestConcurrentReads(t *testing.T) {
	clock := newFakeClock()
	cfg := testConfig(clock)
	cfg.SegmentBytes = 3000
	cfg.FileDeleteDelayMs = 0 // removal races with readers
	cfg.RetentionBytes = 20000
	l := openTest(t, filepath.Join(t.TempDir(), "race-0"), cfg)
	defer l.Close()

	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 1))
			for !stop.Load() {
				start, end := l.LogStartOffset(), l.LogEndOffset()
				if end <= start {
					continue
				}
				off := start + rng.Int64N(end-start)
				d, err := l.Read(off, int32(rng.IntN(5000)), end)
				if err != nil {
					if errors.Is(err, ErrOffsetOutOfRange) || errors.Is(err, os.ErrClosed) || errors.Is(err, ErrTruncatedBatch) {
						continue // retention or truncation won the race
					}
					errs <- err
					return
				}
				data, err := d.Bytes()
				if err != nil || len(data) == 0 {
					continue // the segment was removed under the read
				}
				b := Batch(data)
				if len(data) >= BatchHeaderSize && b.Size() <= len(data) {
					if err := Batch(data[:b.Size()]).Validate(); err == nil && b.LastOffset() < off {
						errs <- errors.New("read returned a batch below the offset asked for")
						return
					}
				}
				if _, _, err := l.ReadByTimestamp(1_000_000 + rng.Int64N(5000)); err != nil && !errors.Is(err, os.ErrClosed) && !errors.Is(err, ErrTruncatedBatch) {
					errs <- err
					return
				}
				_ = l.Size() + l.HighWatermark() + l.RecoveryPoint()
				_ = l.SegmentBaseOffsets()
			}
		}(uint64(r))
	}

	rng := rand.New(rand.NewPCG(42, 42))
	ts := int64(1_000_000)
	for i := 0; i < 600; i++ {
		ts += int64(rng.IntN(20))
		var err error
		switch n := rng.IntN(100); {
		case n < 80:
			_, err = l.Append(simpleBatch(t, 1+rng.IntN(4), rng.IntN(200), ts), 1)
		case n < 85:
			err = l.Flush()
		case n < 90:
			if end := l.LogEndOffset(); end > l.LogStartOffset()+10 {
				_, err = l.TruncateTo(end - int64(rng.IntN(10)))
			}
		default:
			l.SetHighWatermark(l.LogEndOffset())
			_, err = l.DeleteOldSegments()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checkConsistent(t, l)
}
