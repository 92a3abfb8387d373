package log

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"
)

// checkPrefix reopens nothing; it checks that l holds exactly the first k
// acked batches for some k, with lo <= k, and returns k.
func checkPrefix(t *testing.T, l *Log, acked []Batch, lo int) int {
	t.Helper()
	got := readAll(t, l, 0)
	if len(got) > len(acked) {
		t.Fatalf("log holds %d batches, only %d were written", len(got), len(acked))
	}
	for i := range got {
		if !bytes.Equal(got[i], acked[i]) {
			t.Fatalf("batch %d differs from what was written", i)
		}
	}
	if len(got) < lo {
		t.Fatalf("log holds %d batches, but %d were flushed", len(got), lo)
	}
	want := int64(0)
	if len(got) > 0 {
		want = got[len(got)-1].NextOffset()
	}
	if l.LogEndOffset() != want {
		t.Fatalf("log end %d, last batch ends at %d", l.LogEndOffset(), want)
	}
	return len(got)
}

// TestCrashRecoversPrefix simulates power losses at random moments: every
// write since the last fsync may survive, vanish or be cut. The log reopened
// from its recovery point must hold a prefix of what was appended, at least
// everything flushed, with indexes that agree with the data.
func TestCrashRecoversPrefix(t *testing.T) {
	seeds := []uint64{11, 12, 13, 14, 15, 16, 17, 18, uint64(time.Now().UnixNano())}
	if *modelSeed != 0 {
		seeds = []uint64{*modelSeed}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Logf("seed %d (replay with go test -run TestCrashRecoversPrefix ./engine/log/ -model.seed=%d)", seed, seed)
			rng := rand.New(rand.NewPCG(seed, 7))
			ffs := NewFaultFS(nil)
			clock := newFakeClock()
			cfg := testConfig(clock)
			cfg.FS = ffs
			cfg.SegmentBytes = int32(1000 + rng.IntN(2000)) // appends stay under 1000 bytes
			cfg.IndexIntervalBytes = int32(rng.IntN(300))
			dir := filepath.Join(t.TempDir(), "crash-0")
			l := openTest(t, dir, cfg)
			var acked []Batch
			flushed := 0
			ts := int64(1_000_000)
			for round := 0; round < 8; round++ {
				// In half the rounds the process dies mid-operation: from a
				// random call on, every write, fsync, truncation and rename
				// fails, then the power goes.
				if rng.IntN(2) == 0 {
					for _, op := range []FaultOp{FaultWrite, FaultSync, FaultTruncate, FaultRename, FaultOpen} {
						ffs.Inject(Fault{Op: op, After: rng.IntN(80), Times: -1})
					}
				}
				var written []Batch // what the failed append tried to add
				for i := rng.IntN(40); i > 0; i-- {
					var data []byte
					for k := 1 + rng.IntN(2); k > 0; k-- {
						ts += int64(rng.IntN(100))
						data = append(data, buildBatch(t, batchSpec{records: recs(1+rng.IntN(3), rng.IntN(100), ts, int64(rng.IntN(20)))})...)
					}
					info, err := l.Append(data, int32(round))
					if errors.Is(err, ErrInjected) {
						next := l.LogEndOffset()
						for it := IterBatches(data); it.Next(); {
							b := Batch(bytes.Clone(it.Batch()))
							b.SetBaseOffset(next)
							b.SetPartitionLeaderEpoch(int32(round))
							next = b.NextOffset()
							written = append(written, b)
						}
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					if info.LastOffset+1 != l.LogEndOffset() {
						t.Fatalf("append info %+v, end %d", info, l.LogEndOffset())
					}
					for it := IterBatches(data); it.Next(); {
						acked = append(acked, Batch(bytes.Clone(it.Batch())))
					}
					if rng.IntN(10) == 0 {
						if err := l.Flush(); errors.Is(err, ErrInjected) {
							break
						} else if err != nil {
							t.Fatal(err)
						}
					}
				}
				// Everything below the recovery point was fsynced.
				rp := l.RecoveryPoint()
				flushed = 0
				for flushed < len(acked) && acked[flushed].NextOffset() <= rp {
					flushed++
				}
				if err := ffs.Crash(rng); err != nil {
					t.Fatal(err)
				}
				ffs.Reset()
				abandon(l)
				cfg.Recovery = Recovery{RecoveryPoint: rp}
				l = openTest(t, dir, cfg)
				acked = append(acked, written...)
				k := checkPrefix(t, l, acked, flushed)
				checkConsistent(t, l)
				for _, e := range l.LeaderEpochs() {
					if e.StartOffset > l.LogEndOffset() {
						t.Fatalf("epoch %v past the end %d", e, l.LogEndOffset())
					}
				}
				t.Logf("round %d: %d of %d batches survived (%d flushed), %d segments", round, k, len(acked), flushed, len(l.SegmentBaseOffsets()))
				acked = acked[:k]
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			// A clean reopen sees the same log.
			cfg.Recovery = Recovery{CleanShutdown: true}
			l = openTest(t, dir, cfg)
			defer l.Close()
			checkPrefix(t, l, acked, len(acked))
		})
	}
}

// TestFaultsTakeLogOffline injects one I/O failure into an append stream:
// the failing call reports it, the log refuses further writes, and after a
// reopen (recovery from the recovery point) it holds every acknowledged
// batch, plus at most the one whose append failed, with consistent indexes.
func TestFaultsTakeLogOffline(t *testing.T) {
	tests := []struct {
		name  string
		fault Fault
	}{
		{"log write fails", Fault{Op: FaultWrite, Path: LogFileSuffix, After: 7}},
		{"short log write", Fault{Op: FaultWrite, Path: LogFileSuffix, After: 9, Short: 30}},
		{"index write fails", Fault{Op: FaultWrite, Path: IndexFileSuffix, After: 2}},
		{"time index write fails", Fault{Op: FaultWrite, Path: TimeIndexFileSuffix, After: 2}},
		{"fsync at roll fails", Fault{Op: FaultSync, Path: LogFileSuffix}},
		{"segment create fails", Fault{Op: FaultOpen, Path: "00000000000000000012.log"}},
		{"index trim fails", Fault{Op: FaultTruncate, Path: IndexFileSuffix, After: 1}},
		{"epoch checkpoint fails", Fault{Op: FaultOpen, Path: LeaderEpochCheckpointFile + ".tmp", After: 1}},
		{"dir fsync fails", Fault{Op: FaultSyncDir}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ffs := NewFaultFS(nil)
			cfg := testConfig(newFakeClock())
			cfg.FS = ffs
			cfg.SegmentBytes = 1000
			cfg.IndexIntervalBytes = 100
			dir := filepath.Join(t.TempDir(), "fault-0")
			l := openTest(t, dir, cfg)
			ffs.Inject(tt.fault)
			var acked []Batch
			var failed []byte
			for i := 0; i < 40 && failed == nil; i++ {
				b := simpleBatch(t, 2, 100, int64(i))
				_, err := l.Append(bytes.Clone(b), int32(i/6))
				switch {
				case err == nil:
					stored := Batch(bytes.Clone(b))
					stored.SetBaseOffset(int64(2 * len(acked)))
					stored.SetPartitionLeaderEpoch(int32(i / 6))
					acked = append(acked, stored)
				case errors.Is(err, ErrFailed) && errors.Is(err, ErrInjected):
					failed = b
				default:
					t.Fatalf("append %d: %v", i, err)
				}
			}
			if failed == nil {
				t.Fatalf("the fault never fired (%d fired)", ffs.Fired())
			}
			if _, err := l.Append(simpleBatch(t, 1, 1, 1), 9); !errors.Is(err, ErrFailed) {
				t.Fatalf("append after the failure: %v", err)
			}
			if err := l.Flush(); !errors.Is(err, ErrFailed) {
				t.Fatalf("flush after the failure: %v", err)
			}
			if d, err := l.Read(0, 1<<20, int64(2*len(acked))); err != nil || (len(acked) > 0 && d.Size == 0) {
				t.Fatalf("read after the failure: %+v %v", d, err)
			}
			rp := l.RecoveryPoint()
			if err := l.Close(); !errors.Is(err, ErrFailed) {
				t.Fatalf("Close = %v", err)
			}
			cfg.FS = nil
			cfg.Recovery = Recovery{RecoveryPoint: rp}
			l = openTest(t, dir, cfg)
			defer l.Close()
			f := Batch(failed)
			f.SetBaseOffset(int64(2 * len(acked)))
			f.SetPartitionLeaderEpoch(int32(len(acked) / 6))
			k := checkPrefix(t, l, append(acked, f), len(acked))
			checkConsistent(t, l)
			t.Logf("%d acked, %d after recovery", len(acked), k)
			mustAppend(t, l, simpleBatch(t, 1, 1, 1), 9)
		})
	}
}
