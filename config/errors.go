package config

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinels. Every problem a load reports matches one of them with errors.Is.
var (
	// ErrUnknownKey marks a key no registry knows. Loads report it as a Warning;
	// ValidateTopicConfigs reports it as an error, as kafka-topics does.
	ErrUnknownKey = errors.New("config: unknown key")
	// ErrInvalidValue marks a value that does not parse or fails a validator,
	// and cross-key rules such as Kafka's "requirement failed: ..." checks.
	ErrInvalidValue = errors.New("config: invalid value")
	// ErrMissing marks a required key with no value.
	ErrMissing = errors.New("config: missing required configuration")
	// ErrSyntax marks a file that cannot be read as .properties or TOML.
	ErrSyntax = errors.New("config: syntax error")
)

// Error is one problem found while loading, placed where it was found.
//
// File is the file path, or the name of a command-line source such as
// "--override". Line is the 1-based line in the file where the entry starts,
// or, for command-line sources, the 1-based position of the k=v argument among
// that source's arguments (so the second --override prints as "--override:2").
// Line 0 means the place is not known (the key was not set anywhere, or a
// TOML key whose line could not be found), and File "" means no source.
type Error struct {
	File string
	Line int
	Key  string
	Err  error
}

// Error returns "file:line: key: what is wrong"; empty parts are left out.
func (e *Error) Error() string {
	var b strings.Builder
	if loc := location(e.File, e.Line); loc != "" {
		b.WriteString(loc)
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying problem (a *ValueError, a *KafkaError, ...).
func (e *Error) Unwrap() error { return e.Err }

func location(file string, line int) string {
	switch {
	case file == "" && line <= 0:
		return ""
	case line <= 0:
		return file
	case file == "":
		return "line " + strconv.Itoa(line)
	default:
		return file + ":" + strconv.Itoa(line)
	}
}

// Errors is every problem of one load, in the order of their sources and lines.
// Its text has one problem per line.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As look at every problem.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// asError returns es as an error, or nil when it is empty.
func (es Errors) asError() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// ValueError is Kafka's ConfigException for a bad value. Its text is exactly
// Kafka's: "Invalid value <v> for configuration <key>: <reason>".
type ValueError struct {
	Key    string
	Value  string
	Reason string
}

func (e *ValueError) Error() string {
	s := "Invalid value " + e.Value + " for configuration " + e.Key
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Unwrap returns ErrInvalidValue.
func (e *ValueError) Unwrap() error { return ErrInvalidValue }

// KafkaError carries the message Kafka 2.8 (or ZooKeeper) prints for a
// problem that is not a plain bad value, e.g.
// "Missing required configuration `zookeeper.connect` which has no default value."
// or "requirement failed: ...". Kind is the sentinel it matches.
type KafkaError struct {
	Msg  string
	Kind error
}

func (e *KafkaError) Error() string { return e.Msg }

// Unwrap returns Kind.
func (e *KafkaError) Unwrap() error { return e.Kind }

// Warning is a problem that does not stop a load: an unknown key (Err is
// ErrUnknownKey), or a value the server would adjust (e.g. ZooKeeper raising
// autopurge.snapRetainCount to 3). File and Line follow Error's rules.
type Warning struct {
	File string
	Line int
	Key  string
	Msg  string
	Err  error
}

// String returns "file:line: key: message".
func (w Warning) String() string {
	e := Error{File: w.File, Line: w.Line, Key: w.Key, Err: errors.New(w.Msg)}
	return e.Error()
}

// Error is String, so that a Warning can be logged or matched with
// errors.Is(w, ErrUnknownKey) like an error.
func (w Warning) Error() string { return w.String() }

// Unwrap returns the sentinel the warning matches, if any.
func (w Warning) Unwrap() error { return w.Err }

// KafkaClientMessage returns the text a Kafka 2.8 client logs for an unknown
// key: "The configuration 'k' was supplied but isn't a known config."
func (w Warning) KafkaClientMessage() string {
	return "The configuration '" + w.Key + "' was supplied but isn't a known config."
}
