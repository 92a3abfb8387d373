package wire

// Framing shared by ZooKeeper's client protocol (and Kafka's): a 4-byte
// big-endian length, then exactly that many payload bytes. A ZooKeeper server
// also reads the first 4 bytes of a fresh connection as a possible
// four-letter word ("ruok", "srvr", ...), sent as raw ASCII with no length.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrFrameTooLarge means a frame's length prefix was negative or over the
// limit. The server closes that connection without a reply (Java logs
// "Len error").
var ErrFrameTooLarge = errors.New("wire: frame too large")

// FrameHeaderSize is the size of a frame's length prefix.
const FrameHeaderSize = 4

// ReadFrame reads one frame from r and returns its payload. It reuses buf's
// storage when buf has room, so the payload is only valid until the next call
// with the same buf. max <= 0 means DefaultMaxBuffer. A length below 0 or over
// max gives an error wrapping ErrFrameTooLarge, before anything is allocated.
// A clean end of input before a frame starts gives io.EOF; one inside a frame
// gives io.ErrUnexpectedEOF.
func ReadFrame(r io.Reader, buf []byte, max int) ([]byte, error) {
	// Read the prefix into buf's storage when it has room: a local array
	// handed to an io.Reader escapes and would cost an allocation per frame.
	p := buf[:cap(buf)]
	if len(p) < FrameHeaderSize {
		p = make([]byte, FrameHeaderSize)
	}
	if _, err := io.ReadFull(r, p[:FrameHeaderSize]); err != nil {
		return nil, err
	}
	var prefix [FrameHeaderSize]byte
	copy(prefix[:], p)
	return ReadFrameBody(r, prefix, buf, max)
}

// ReadFrameBody reads the payload of a frame whose length prefix the caller
// has already read, as a server does to look for a four-letter word first.
// Otherwise it behaves as ReadFrame; an end of input is io.ErrUnexpectedEOF.
func ReadFrameBody(r io.Reader, prefix [FrameHeaderSize]byte, buf []byte, max int) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxBuffer
	}
	n := int32(binary.BigEndian.Uint32(prefix[:]))
	if n < 0 || int64(n) > int64(max) {
		return nil, fmt.Errorf("%w: length %d, limit %d", ErrFrameTooLarge, n, max)
	}
	if cap(buf) >= int(n) {
		buf = buf[:n]
	} else {
		buf = make([]byte, n)
	}
	if _, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return buf, nil
}

// AppendFrame appends payload to dst behind its 4-byte length.
func AppendFrame(dst, payload []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(payload)))
	return append(dst, payload...)
}

// StartFrame appends a placeholder length prefix to dst and returns the new
// slice and the prefix's offset, for EndFrame once the payload is appended.
// It lets a record be framed without a copy.
func StartFrame(dst []byte) ([]byte, int) {
	return append(dst, 0, 0, 0, 0), len(dst)
}

// EndFrame fills in the length prefix StartFrame placed at start.
func EndFrame(dst []byte, start int) []byte {
	binary.BigEndian.PutUint32(dst[start:], uint32(len(dst)-start-FrameHeaderSize))
	return dst
}

// IsFourLetterWord reports whether the first 4 bytes of a connection are one
// of ZooKeeper 3.8's four-letter words, and returns it. Only a connection
// without a session is checked; every word reads as a length near 2^31, over
// any jute.maxbuffer, so a real frame never collides with one.
func IsFourLetterWord(first4 [4]byte) (string, bool) {
	switch w := string(first4[:]); w {
	case "conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "hash", "isro",
		"mntr", "ruok", "srst", "srvr", "stat", "stmk", "wchc", "wchp", "wchs":
		return w, true
	}
	return "", false
}

// FourLetterWords returns ZooKeeper 3.8's four-letter words, sorted.
func FourLetterWords() []string {
	return []string{"conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "hash", "isro",
		"mntr", "ruok", "srst", "srvr", "stat", "stmk", "wchc", "wchp", "wchs"}
}
