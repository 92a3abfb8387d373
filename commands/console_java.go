package commands

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/kafkago/kafka/config"
)

// Java behaviours the console tools reproduce byte for byte: how exceptions
// print, how text is decoded, how numbers are rendered.

// throwable is a Java Throwable as the console tools print it: its class
// name, its message (hasMsg false is a null message) and its cause.
type throwable struct {
	class  string
	msg    string
	hasMsg bool
	cause  *throwable
}

// newThrowable returns class with message msg.
func newThrowable(class, msg string) *throwable {
	return &throwable{class: class, msg: msg, hasMsg: true}
}

// cannotLoadClasses explains, in the place of a ClassNotFoundException's
// stack frames, that this implementation cannot load Java classes and what
// the flag accepts instead.
func cannotLoadClasses(tool, flag string, supported ...string) *throwable {
	return newThrowable("java.lang.UnsupportedOperationException",
		tool+" cannot load Java classes; "+flag+" accepts only "+strings.Join(supported, ", "))
}

// newThrowableNoMsg returns class with a null message.
func newThrowableNoMsg(class string) *throwable {
	return &throwable{class: class}
}

// withCause sets the exception's cause and returns it.
func (e *throwable) withCause(c *throwable) *throwable {
	e.cause = c
	return e
}

// Error is Throwable.toString: the class name, then ": " and the message.
func (e *throwable) Error() string {
	if !e.hasMsg {
		return e.class
	}
	return e.class + ": " + e.msg
}

// lines are what printStackTrace prints without the "\tat" frames: the
// exception, then one "Caused by: " line per cause.
func (e *throwable) lines() []string {
	out := []string{e.Error()}
	for c := e.cause; c != nil; c = c.cause {
		out = append(out, "Caused by: "+c.Error())
	}
	return out
}

// printStackTrace writes e as Throwable.printStackTrace does, frames left out.
func (e *throwable) printStackTrace(w io.Writer) {
	for _, l := range e.lines() {
		fmt.Fprintln(w, l)
	}
}

// execThrowable wraps e as Future.get() does.
func execThrowable(e *throwable) *throwable {
	return newThrowable("java.util.concurrent.ExecutionException", e.Error()).withCause(e)
}

// kafkaExc returns org.apache.kafka.common.errors.<simple> with msg.
func kafkaExc(simple, msg string) *throwable {
	return newThrowable("org.apache.kafka.common.errors."+simple, msg)
}

// asThrowable converts err into the Java exception Kafka reports for it.
func asThrowable(err error) *throwable {
	var je *throwable
	if errors.As(err, &je) {
		return je
	}
	return newThrowable("org.apache.kafka.common.KafkaException", err.Error())
}

// fileThrowable is the java.nio exception Files.newInputStream throws for path.
func fileThrowable(path string, err error) *throwable {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return newThrowable("java.nio.file.NoSuchFileException", path)
	case errors.Is(err, fs.ErrPermission):
		return newThrowable("java.nio.file.AccessDeniedException", path)
	case errors.Is(err, syscall.EISDIR):
		return newThrowable("java.io.IOException", "Is a directory")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return newThrowable("java.nio.file.FileSystemException", path+": "+pe.Err.Error())
	}
	return newThrowable("java.io.IOException", err.Error())
}

// consoleUTF8 decodes b as Java's UTF-8 decoder does with REPLACE (what
// InputStreamReader and new String(bytes, UTF_8) use) and returns the
// re-encoded text: every maximal ill-formed subsequence becomes one U+FFFD.
func consoleUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b)+8)
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			out = append(out, b[i])
			i++
			continue
		}
		if r, n := utf8.DecodeRune(b[i:]); r != utf8.RuneError || n > 1 {
			out = append(out, b[i:i+n]...)
			i += n
			continue
		}
		out = utf8.AppendRune(out, utf8.RuneError)
		i += utf8MalformedLen(b[i:])
	}
	return out
}

// utf8MalformedLen is how many bytes of an ill-formed sequence at the start
// of b the decoder replaces at once: the lead byte plus the continuation
// bytes that were still acceptable before the sequence broke off.
func utf8MalformedLen(b []byte) int {
	lead := b[0]
	var need int
	lo, hi := byte(0x80), byte(0xBF)
	switch {
	case lead >= 0xC2 && lead <= 0xDF:
		need = 1
	case lead == 0xE0:
		need, lo = 2, 0xA0
	case lead >= 0xE1 && lead <= 0xEC, lead == 0xEE, lead == 0xEF:
		need = 2
	case lead == 0xED:
		need, hi = 2, 0x9F
	case lead == 0xF0:
		need, lo = 3, 0x90
	case lead >= 0xF1 && lead <= 0xF3:
		need = 3
	case lead == 0xF4:
		need, hi = 3, 0x8F
	default:
		return 1
	}
	n := 1
	for k := 0; k < need && n < len(b); k++ {
		c := b[n]
		if k == 0 && (c < lo || c > hi) || k > 0 && (c < 0x80 || c > 0xBF) {
			break
		}
		n++
	}
	return n
}

// consoleDouble is Double.toString.
func consoleDouble(f float64) string { return config.JavaDouble(f) }

// consoleFloat is Float.toString.
func consoleFloat(f float32) string { return config.JavaFloat(f) }
