package cluster

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Uuid is Kafka's org.apache.kafka.common.Uuid: 128 bits written as 22
// characters of unpadded URL-safe base64 of the big-endian bytes.
type Uuid [16]byte

// sentinelUuid is the reserved id randomUuid never returns (0, 1).
func sentinelUuid() Uuid {
	var u Uuid
	u[15] = 1
	return u
}

// UuidFromBits builds a Uuid from Java's two longs.
func UuidFromBits(msb, lsb int64) Uuid {
	var u Uuid
	binary.BigEndian.PutUint64(u[:8], uint64(msb))
	binary.BigEndian.PutUint64(u[8:], uint64(lsb))
	return u
}

// MostSignificantBits is Uuid.getMostSignificantBits.
func (u Uuid) MostSignificantBits() int64 { return int64(binary.BigEndian.Uint64(u[:8])) }

// LeastSignificantBits is Uuid.getLeastSignificantBits.
func (u Uuid) LeastSignificantBits() int64 { return int64(binary.BigEndian.Uint64(u[8:])) }

// IsZero reports whether u is Uuid.ZERO_UUID, Kafka's "no topic id".
func (u Uuid) IsZero() bool { return u == Uuid{} }

// String is Uuid.toString: unpadded URL-safe base64, 22 characters.
func (u Uuid) String() string { return base64.RawURLEncoding.EncodeToString(u[:]) }

// RandomUuid is Uuid.randomUuid: a version 4, variant 2 UUID from 16 bytes of
// r (crypto/rand.Reader in production), never the zero or sentinel id.
func RandomUuid(r io.Reader) (Uuid, error) {
	for {
		var u Uuid
		if _, err := io.ReadFull(r, u[:]); err != nil {
			return Uuid{}, fmt.Errorf("cluster: random uuid: %w", err)
		}
		u[6] = u[6]&0x0f | 0x40 // version 4
		u[8] = u[8]&0x3f | 0x80 // IETF variant
		if !u.IsZero() && u != sentinelUuid() {
			return u, nil
		}
	}
}

// ParseUuid is Uuid.fromString, with Java's messages: at most 24 characters,
// URL-safe base64 (padding allowed), exactly 16 decoded bytes.
func ParseUuid(s string) (Uuid, error) {
	if utf16Len(s) > 24 {
		return Uuid{}, newErr(ErrInvalidUUID, ClassIllegalArgument,
			"Input string with prefix `%s` is too long to be decoded as a base64 UUID", javaPrefix(s, 24))
	}
	b, err := javaBase64URLDecode(s)
	if err != nil {
		return Uuid{}, err
	}
	if len(b) != 16 {
		return Uuid{}, newErr(ErrInvalidUUID, ClassIllegalArgument,
			"Input string `%s` decoded as %d bytes, which is not equal to the expected 16 bytes of a base64-encoded UUID", s, len(b))
	}
	var u Uuid
	copy(u[:], b)
	return u, nil
}

// javaPrefix is s.substring(0, n) over UTF-16 units (n within bounds).
func javaPrefix(s string, n int) string {
	var b strings.Builder
	units := 0
	for _, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if units+w > n {
			break
		}
		b.WriteRune(r)
		units += w
	}
	return b.String()
}

// javaBase64URLDecode follows java.util.Base64.getUrlDecoder().decode for the
// inputs a Uuid string can be: padding optional, lenient about the unused
// bits of the last unit, Java's messages for the common failures.
func javaBase64URLDecode(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) < 2 {
		return nil, newErr(ErrInvalidUUID, ClassIllegalArgument, "Input byte[] should at least have 2 bytes for base64 bytes")
	}
	data := strings.TrimRight(s, "=")
	pad := len(s) - len(data)
	for _, r := range data {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			// Java decodes the ISO-8859-1 bytes of the string ('?' for what
			// Latin-1 lacks) and prints the signed byte in hex.
			b := int8('?')
			if r < 0x100 {
				b = int8(r)
			}
			return nil, newErr(ErrInvalidUUID, ClassIllegalArgument, "Illegal base64 character %s", strconv.FormatInt(int64(b), 16))
		}
	}
	rem := len(data) % 4
	if rem == 1 {
		return nil, newErr(ErrInvalidUUID, ClassIllegalArgument, "Last unit does not have enough valid bits")
	}
	if pad > 0 && (rem == 0 || pad > 2 || rem+pad != 4) {
		return nil, newErr(ErrInvalidUUID, ClassIllegalArgument, "Input byte array has incorrect ending byte at %d", len(data))
	}
	// Java ignores the unused low bits of the final unit; Go's strict decoder
	// would reject them, so clear them first.
	if rem != 0 {
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		last := strings.IndexByte(alphabet, data[len(data)-1])
		if rem == 2 {
			last &^= 0x0f
		} else {
			last &^= 0x03
		}
		data = data[:len(data)-1] + alphabet[last:last+1]
	}
	b, err := base64.RawURLEncoding.DecodeString(data)
	if err != nil {
		return nil, newErr(ErrInvalidUUID, ClassIllegalArgument, "%s", err.Error())
	}
	return b, nil
}
