package log

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var benchDir = flag.String("bench.dir", "", "directory for benchmark files (default: the test's temp dir); /dev/shm isolates CPU cost from the disk")

// benchTempDir is a fresh directory under -bench.dir, removed afterwards.
func benchTempDir(b *testing.B) string {
	if *benchDir == "" {
		return b.TempDir()
	}
	d, err := os.MkdirTemp(*benchDir, "enginelog-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// batchOfSize builds an uncompressed batch of about size bytes: one record
// per KiB of it, like a producer's linger-filled batch.
func batchOfSize(tb testing.TB, size int) []byte {
	n := max(size/1024, 1)
	per := size/n - 80/n - 16
	return buildBatch(tb, batchSpec{records: recs(n, per, 1_764_064_800_000, 1)})
}

// BenchmarkAppend measures Log.Append (validation with CRC-32C, offset
// assignment, one positional write, index upkeep) beside a raw sequential
// write of the same bytes to an os.File, in the same run. Neither fsyncs,
// except the log's one fsync per rolled segment (segment.bytes 1 GiB).
func BenchmarkAppend(b *testing.B) {
	for _, size := range []int{1 << 10, 16 << 10} {
		batch := batchOfSize(b, size)
		name := fmt.Sprintf("%dKiB", size>>10)
		b.Run(name+"/log", func(b *testing.B) {
			cfg := DefaultConfig()
			l, err := Open(filepath.Join(benchTempDir(b), "bench-0"), cfg, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			b.SetBytes(int64(len(batch)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := l.Append(batch, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/raw", func(b *testing.B) {
			f, err := os.Create(filepath.Join(benchTempDir(b), "raw"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			b.SetBytes(int64(len(batch)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := f.Write(batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Sixteen 1 KiB batches in one append: one write for all of them.
	var multi []byte
	for i := 0; i < 16; i++ {
		multi = append(multi, batchOfSize(b, 1<<10)...)
	}
	b.Run("16x1KiB/log", func(b *testing.B) {
		l, err := Open(filepath.Join(benchTempDir(b), "bench-0"), DefaultConfig(), nil)
		if err != nil {
			b.Fatal(err)
		}
		defer l.Close()
		b.SetBytes(int64(len(multi)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := l.Append(multi, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRead measures 1 MiB fetches at random offsets of a 256 MiB log:
// locating the section (index lookup and header scan), then copying it out,
// beside raw ReadAt calls of the same size at the same positions.
func BenchmarkRead(b *testing.B) {
	const total, fetch = 256 << 20, 1 << 20
	batch := batchOfSize(b, 4<<10)
	dir := filepath.Join(benchTempDir(b), "bench-0")
	l, err := Open(dir, DefaultConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	for written := 0; written < total; written += len(batch) {
		if _, err := l.Append(batch, 0); err != nil {
			b.Fatal(err)
		}
	}
	end := l.LogEndOffset()
	rng := rand.New(rand.NewPCG(1, 2))
	b.Run("log-locate", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := l.Read(rng.Int64N(end), fetch, end); err != nil {
				b.Fatal(err)
			}
		}
	})
	buf := make([]byte, 0, 2*fetch)
	b.Run("log-copy", func(b *testing.B) {
		b.SetBytes(fetch)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			d, err := l.Read(rng.Int64N(end), fetch, end)
			if err != nil {
				b.Fatal(err)
			}
			if buf, err = d.AppendTo(buf[:0]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("raw-readat", func(b *testing.B) {
		f, err := os.Open(filepath.Join(dir, FilenamePrefix(0)+LogFileSuffix))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		raw := make([]byte, fetch)
		positions := (total - fetch) / len(batch)
		b.SetBytes(fetch)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := f.ReadAt(raw, int64(rng.IntN(positions)*len(batch))); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAppendVsRaw interleaves the two: each iteration appends a batch
// to the log and writes the same bytes to a raw file, timing each, so both
// see the same machine noise. It reports each throughput and their ratio.
func BenchmarkAppendVsRaw(b *testing.B) {
	for _, size := range []int{1 << 10, 16 << 10} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			batch := batchOfSize(b, size)
			dir := benchTempDir(b)
			l, err := Open(filepath.Join(dir, "bench-0"), DefaultConfig(), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			f, err := os.Create(filepath.Join(dir, "raw"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			var logNs, rawNs int64
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := l.Append(batch, 0); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := f.Write(batch); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				logNs += t1.Sub(t0).Nanoseconds()
				rawNs += t2.Sub(t1).Nanoseconds()
			}
			mb := float64(b.N) * float64(len(batch)) / 1e6
			b.ReportMetric(mb/(float64(logNs)/1e9), "log-MB/s")
			b.ReportMetric(mb/(float64(rawNs)/1e9), "raw-MB/s")
			b.ReportMetric(float64(rawNs)/float64(logNs), "log/raw")
		})
	}
}

// BenchmarkReadVsRaw interleaves a 1 MiB fetch at a random offset (locate
// the section, copy it out) with a raw ReadAt of as many bytes at another
// random batch boundary (the same bytes would come from the CPU cache).
func BenchmarkReadVsRaw(b *testing.B) {
	const total, fetch = 256 << 20, 1 << 20
	batch := batchOfSize(b, 4<<10)
	dir := filepath.Join(benchTempDir(b), "bench-0")
	l, err := Open(dir, DefaultConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	for written := 0; written < total; written += len(batch) {
		if _, err := l.Append(batch, 0); err != nil {
			b.Fatal(err)
		}
	}
	f, err := os.Open(filepath.Join(dir, FilenamePrefix(0)+LogFileSuffix))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	end := l.LogEndOffset()
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 0, 2*fetch)
	raw := make([]byte, 2*fetch)
	var logNs, rawNs, bytes int64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		d, err := l.Read(rng.Int64N(end), fetch, end)
		if err != nil {
			b.Fatal(err)
		}
		if buf, err = d.AppendTo(buf[:0]); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := f.ReadAt(raw[:d.Size], int64(rng.IntN((total-2*fetch)/len(batch))*len(batch))); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		logNs += t1.Sub(t0).Nanoseconds()
		rawNs += t2.Sub(t1).Nanoseconds()
		bytes += int64(d.Size)
	}
	mb := float64(bytes) / 1e6
	b.ReportMetric(mb/(float64(logNs)/1e9), "log-MB/s")
	b.ReportMetric(mb/(float64(rawNs)/1e9), "raw-MB/s")
	b.ReportMetric(float64(rawNs)/float64(logNs), "log/raw")
}
