package commands

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// consoleLineReader is java.io.BufferedReader.readLine over an
// InputStreamReader(UTF-8): a line ends at "\n", "\r" or "\r\n" (a "\r" ends
// the line at once; a "\n" right after it is skipped when it arrives), the
// terminator is not part of the line, a last line without a terminator is
// still a line, and malformed UTF-8 becomes U+FFFD.
type consoleLineReader struct {
	r      *bufio.Reader
	skipLF bool
}

func newConsoleLineReader(r io.Reader) *consoleLineReader {
	return &consoleLineReader{r: bufio.NewReader(r)}
}

// readLine returns the next line, or ok false at the end of the input.
func (lr *consoleLineReader) readLine() (line []byte, ok bool, err error) {
	var buf []byte
	read := false
	for {
		c, err := lr.r.ReadByte()
		if err != nil {
			if err == io.EOF {
				if read {
					return consoleUTF8(buf), true, nil
				}
				return nil, false, nil
			}
			return nil, false, err
		}
		if lr.skipLF {
			lr.skipLF = false
			if c == '\n' {
				continue
			}
		}
		switch c {
		case '\n':
			return consoleUTF8(buf), true, nil
		case '\r':
			lr.skipLF = true
			return consoleUTF8(buf), true, nil
		}
		read = true
		buf = append(buf, c)
	}
}

// lineMessageReader is kafka.tools.ConsoleProducer$LineMessageReader: it
// turns lines into keys and values per the reader properties parse.key,
// key.separator and ignore.error.
type lineMessageReader struct {
	lines        *consoleLineReader
	parseKey     bool
	keySeparator string
	ignoreError  bool
	lineNumber   int
}

// lineMessageReaderClass is the reader's Java class name, --line-reader's default.
const lineMessageReaderClass = "kafka.tools.ConsoleProducer$LineMessageReader"

// consoleTrueProp is props.getProperty(k).trim.equalsIgnoreCase("true").
func consoleTrueProp(v string) bool { return strings.EqualFold(ccTrim(v), "true") }

func newLineMessageReader(in io.Reader, props map[string]string) *lineMessageReader {
	r := &lineMessageReader{lines: newConsoleLineReader(in), keySeparator: "\t"}
	if v, ok := props["parse.key"]; ok {
		r.parseKey = consoleTrueProp(v)
	}
	if v, ok := props["key.separator"]; ok {
		r.keySeparator = v
	}
	if v, ok := props["ignore.error"]; ok {
		r.ignoreError = consoleTrueProp(v)
	}
	return r
}

// consoleMessage is one record read from the input. A nil key is Java's null;
// values are never null (an empty line is an empty value).
type consoleMessage struct {
	key, value []byte
}

// readMessage reads the next record; ok is false at the end of the input.
// A line without key separator under parse.key is Kafka's KafkaException
// unless ignore.error is set.
func (r *lineMessageReader) readMessage() (msg consoleMessage, ok bool, exc *throwable) {
	r.lineNumber++
	line, ok, err := r.lines.readLine()
	if err != nil {
		return msg, false, newThrowable("java.io.IOException", err.Error())
	}
	if !ok {
		return msg, false, nil
	}
	if !r.parseKey {
		return consoleMessage{value: consoleNonNil(line)}, true, nil
	}
	s := string(line)
	n := strings.Index(s, r.keySeparator)
	if n < 0 {
		if r.ignoreError {
			return consoleMessage{value: consoleNonNil(line)}, true, nil
		}
		return msg, false, newThrowable("org.apache.kafka.common.KafkaException",
			"No key found on line "+strconv.Itoa(r.lineNumber)+": "+s)
	}
	return consoleMessage{key: consoleNonNil([]byte(s[:n])), value: consoleNonNil([]byte(s[n+len(r.keySeparator):]))}, true, nil
}

// consoleNonNil returns b, or an empty non-nil slice for nil: an empty value, not null.
func consoleNonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
