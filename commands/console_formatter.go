package commands

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The console consumer's output: Kafka 2.8's MessageFormatter classes and the
// Deserializer classes DefaultMessageFormatter can be given
// (reference/cli.md §5.3).

// consoleRecord is the ConsumerRecord a formatter is handed. A nil key,
// value or header value is Java's null.
type consoleRecord struct {
	topic     string
	partition int32
	offset    int64
	timestamp int64
	// tsType is the record's TimestampType: -1 NO_TIMESTAMP_TYPE,
	// 0 CreateTime, 1 LogAppendTime.
	tsType  int8
	key     []byte
	value   []byte
	headers []consoleHeader
}

type consoleHeader struct {
	key   string
	value []byte
}

// consoleMessageFormatter is kafka.common.MessageFormatter. writeTo appends the
// record's output to out; on an exception, what was written before it stays
// (Java writes field by field to System.out).
type consoleMessageFormatter interface {
	writeTo(rec *consoleRecord, out *bytes.Buffer) *throwable
}

// Kafka's formatter classes.
const (
	defaultFormatterClass  = "kafka.tools.DefaultMessageFormatter"
	loggingFormatterClass  = "kafka.tools.LoggingMessageFormatter"
	noOpFormatterClass     = "kafka.tools.NoOpMessageFormatter"
	checksumFormatterClass = "kafka.tools.ChecksumMessageFormatter"
)

// unsupportedFormatterClasses are formatters Kafka 2.8 has that decode its
// internal topics; this implementation does not provide them.
func consoleUnsupportedFormatter(class string) bool {
	switch class {
	case "kafka.coordinator.group.GroupMetadataManager$OffsetsMessageFormatter",
		"kafka.coordinator.group.GroupMetadataManager$GroupMetadataMessageFormatter",
		"kafka.coordinator.transaction.TransactionLog$TransactionLogMessageFormatter":
		return true
	}
	return false
}

// consoleKnownFormatter reports whether class names a formatter this
// implementation provides.
func consoleKnownFormatter(class string) bool {
	switch class {
	case defaultFormatterClass, loggingFormatterClass, noOpFormatterClass, checksumFormatterClass:
		return true
	}
	return false
}

// newConsoleMessageFormatter instantiates and configures a formatter class with the
// formatter properties. An exception comes from configure (a deserializer
// class that cannot be found).
func newConsoleMessageFormatter(class string, props map[string]string) (consoleMessageFormatter, *throwable) {
	switch class {
	case defaultFormatterClass, loggingFormatterClass:
		// LoggingMessageFormatter also logs each record at INFO, below the
		// WARN level of tools-log4j.properties: its output is the default's.
		return newConsoleDefaultFormatter(props)
	case noOpFormatterClass:
		return consoleNoOpFormatter{}, nil
	case checksumFormatterClass:
		f := consoleChecksumFormatter{}
		if t, ok := props["topic"]; ok {
			f.topicStr = t + ":"
		}
		return f, nil
	}
	return nil, newThrowable("java.lang.ClassNotFoundException", class)
}

type consoleNoOpFormatter struct{}

func (consoleNoOpFormatter) writeTo(*consoleRecord, *bytes.Buffer) *throwable { return nil }

// consoleChecksumFormatter prints "checksum:" and the record's checksum, which is
// always 0: ConsoleConsumer hands formatters a ConsumerRecord built with a
// checksum of 0.
type consoleChecksumFormatter struct{ topicStr string }

func (f consoleChecksumFormatter) writeTo(_ *consoleRecord, out *bytes.Buffer) *throwable {
	out.WriteString(f.topicStr + "checksum:0\n")
	return nil
}

// consoleDefaultFormatter is kafka.tools.DefaultMessageFormatter.
type consoleDefaultFormatter struct {
	printTimestamp, printKey, printValue, printPartition, printOffset, printHeaders bool

	keySeparator, lineSeparator, headersSeparator, nullLiteral []byte

	keyDeser, valueDeser, headersDeser *consoleDeserializer
}

func newConsoleDefaultFormatter(props map[string]string) (*consoleDefaultFormatter, *throwable) {
	f := &consoleDefaultFormatter{
		printValue:       true,
		keySeparator:     []byte("\t"),
		lineSeparator:    []byte("\n"),
		headersSeparator: []byte(","),
		nullLiteral:      []byte("null"),
	}
	boolProp := func(key string, dst *bool) {
		if v, ok := props[key]; ok {
			*dst = consoleTrueProp(v)
		}
	}
	byteProp := func(key string, dst *[]byte) {
		if v, ok := props[key]; ok {
			*dst = []byte(v)
		}
	}
	boolProp("print.timestamp", &f.printTimestamp)
	boolProp("print.key", &f.printKey)
	boolProp("print.offset", &f.printOffset)
	boolProp("print.partition", &f.printPartition)
	boolProp("print.headers", &f.printHeaders)
	boolProp("print.value", &f.printValue)
	byteProp("key.separator", &f.keySeparator)
	byteProp("line.separator", &f.lineSeparator)
	byteProp("headers.separator", &f.headersSeparator)
	byteProp("null.literal", &f.nullLiteral)
	for _, d := range []struct {
		prop  string
		isKey bool
		dst   **consoleDeserializer
	}{
		{"key.deserializer", true, &f.keyDeser},
		{"value.deserializer", false, &f.valueDeser},
		{"headers.deserializer", false, &f.headersDeser},
	} {
		class, ok := props[d.prop]
		if !ok {
			continue
		}
		deser, t := newConsoleDeserializer(class, consolePrefixStripped(d.prop+".", props), d.isKey)
		if t != nil {
			return nil, t
		}
		*d.dst = deser
	}
	return f, nil
}

// consolePrefixStripped is propertiesWithKeyPrefixStripped: the properties under
// prefix, with the prefix removed.
func consolePrefixStripped(prefix string, props map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range props {
		if strings.HasPrefix(k, prefix) && len(k) > len(prefix) {
			out[k[len(prefix):]] = v
		}
	}
	return out
}

// consoleTimestampType is TimestampType.toString.
func consoleTimestampType(t int8) string {
	if t == 1 {
		return "LogAppendTime"
	}
	return "CreateTime"
}

func (f *consoleDefaultFormatter) writeTo(rec *consoleRecord, out *bytes.Buffer) *throwable {
	sep := func(column bool) {
		if column {
			out.Write(f.keySeparator)
		} else {
			out.Write(f.lineSeparator)
		}
	}
	deserialize := func(d *consoleDeserializer, b []byte) ([]byte, *throwable) {
		if b == nil {
			b = f.nullLiteral
		}
		if d == nil {
			return b, nil
		}
		s, t := d.deserialize(rec.topic, b)
		return []byte(s), t
	}
	if f.printTimestamp {
		if rec.tsType >= 0 {
			out.WriteString(consoleTimestampType(rec.tsType) + ":" + strconv.FormatInt(rec.timestamp, 10))
		} else {
			out.WriteString("NO_TIMESTAMP")
		}
		sep(f.printOffset || f.printPartition || f.printHeaders || f.printKey || f.printValue)
	}
	if f.printPartition {
		out.WriteString("Partition:" + strconv.FormatInt(int64(rec.partition), 10))
		sep(f.printOffset || f.printHeaders || f.printKey || f.printValue)
	}
	if f.printOffset {
		out.WriteString("Offset:" + strconv.FormatInt(rec.offset, 10))
		sep(f.printHeaders || f.printKey || f.printValue)
	}
	if f.printHeaders {
		if len(rec.headers) == 0 {
			out.WriteString("NO_HEADERS")
		}
		for i, h := range rec.headers {
			out.WriteString(h.key + ":")
			b, t := deserialize(f.headersDeser, h.value)
			if t != nil {
				return t
			}
			out.Write(b)
			if i < len(rec.headers)-1 {
				out.Write(f.headersSeparator)
			}
		}
		sep(f.printKey || f.printValue)
	}
	if f.printKey {
		b, t := deserialize(f.keyDeser, rec.key)
		if t != nil {
			return t
		}
		out.Write(b)
		sep(f.printValue)
	}
	if f.printValue {
		b, t := deserialize(f.valueDeser, rec.value)
		if t != nil {
			return t
		}
		out.Write(b)
		out.Write(f.lineSeparator)
	}
	return nil
}

// consoleDeserializer is one of Kafka's Deserializer classes, followed by
// toString of what it returns, as DefaultMessageFormatter prints it.
type consoleDeserializer struct {
	class    string
	encoding string
}

const consoleSerializationPkg = "org.apache.kafka.common.serialization."

// newConsoleDeserializer is Class.forName(class) + configure(configs, isKey).
func newConsoleDeserializer(class string, configs map[string]string, isKey bool) (*consoleDeserializer, *throwable) {
	switch strings.TrimPrefix(class, consoleSerializationPkg) {
	case "StringDeserializer", "UUIDDeserializer":
	case "ByteArrayDeserializer", "ByteBufferDeserializer", "BytesDeserializer", "LongDeserializer",
		"IntegerDeserializer", "ShortDeserializer", "DoubleDeserializer", "FloatDeserializer", "VoidDeserializer":
		if !strings.HasPrefix(class, consoleSerializationPkg) {
			return nil, newThrowable("java.lang.ClassNotFoundException", class)
		}
		return &consoleDeserializer{class: class}, nil
	default:
		return nil, newThrowable("java.lang.ClassNotFoundException", class)
	}
	if !strings.HasPrefix(class, consoleSerializationPkg) {
		return nil, newThrowable("java.lang.ClassNotFoundException", class)
	}
	d := &consoleDeserializer{class: class, encoding: "UTF8"}
	name := "value.deserializer.encoding"
	if isKey {
		name = "key.deserializer.encoding"
	}
	if v, ok := configs[name]; ok {
		d.encoding = v
	} else if v, ok := configs["deserializer.encoding"]; ok {
		d.encoding = v
	}
	return d, nil
}

// deserialize returns the deserialized object's toString.
func (d *consoleDeserializer) deserialize(_ string, data []byte) (string, *throwable) {
	serErr := func(msg string) *throwable { return kafkaExc("SerializationException", msg) }
	switch strings.TrimPrefix(d.class, consoleSerializationPkg) {
	case "StringDeserializer":
		s, ok := consoleDecodeCharset(d.encoding, data)
		if !ok {
			return "", serErr("Error when deserializing byte[] to string due to unsupported encoding " + d.encoding)
		}
		return s, nil
	case "UUIDDeserializer":
		s, ok := consoleDecodeCharset(d.encoding, data)
		if !ok {
			return "", serErr("Error when deserializing byte[] to UUID due to unsupported encoding " + d.encoding)
		}
		u, t := consoleUUID(s)
		if t != nil {
			return "", serErr("Error parsing data into UUID").withCause(t)
		}
		return u, nil
	case "ByteArrayDeserializer":
		// byte[].toString: the class and the identity hash of the array.
		return fmt.Sprintf("[B@%x", rand.Uint32()&0x7fffffff), nil
	case "ByteBufferDeserializer":
		return fmt.Sprintf("java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]", len(data), len(data)), nil
	case "BytesDeserializer":
		var b strings.Builder
		for _, c := range data {
			if c >= ' ' && c <= '~' && c != '\\' {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "\\x%02X", c)
			}
		}
		return b.String(), nil
	case "LongDeserializer":
		if len(data) != 8 {
			return "", serErr("Size of data received by LongDeserializer is not 8")
		}
		return strconv.FormatInt(int64(binary.BigEndian.Uint64(data)), 10), nil
	case "IntegerDeserializer":
		if len(data) != 4 {
			return "", serErr("Size of data received by IntegerDeserializer is not 4")
		}
		return strconv.FormatInt(int64(int32(binary.BigEndian.Uint32(data))), 10), nil
	case "ShortDeserializer":
		if len(data) != 2 {
			return "", serErr("Size of data received by ShortDeserializer is not 2")
		}
		return strconv.FormatInt(int64(int16(binary.BigEndian.Uint16(data))), 10), nil
	case "DoubleDeserializer":
		if len(data) != 8 {
			return "", serErr("Size of data received by Deserializer is not 8")
		}
		return consoleDouble(math.Float64frombits(binary.BigEndian.Uint64(data))), nil
	case "FloatDeserializer":
		if len(data) != 4 {
			return "", serErr("Size of data received by Deserializer is not 4")
		}
		return consoleFloat(math.Float32frombits(binary.BigEndian.Uint32(data))), nil
	case "VoidDeserializer":
		return "", newThrowable("java.lang.IllegalArgumentException", "Data should be null for a VoidDeserializer.")
	}
	return "", newThrowable("java.lang.ClassNotFoundException", d.class)
}

// consoleDecodeCharset is new String(data, charsetName) for the charsets this
// implementation knows, returned as UTF-8; ok is false for any other charset
// (UnsupportedEncodingException).
func consoleDecodeCharset(name string, data []byte) (string, bool) {
	switch strings.ToUpper(strings.ReplaceAll(name, "_", "-")) {
	case "UTF8", "UTF-8", "UNICODE-1-1-UTF-8":
		return string(consoleUTF8(data)), true
	case "ISO-8859-1", "ISO8859-1", "LATIN1", "L1", "ISO-LATIN-1", "8859-1", "ISO8859-1:1987", "CP819", "IBM819", "ISO-IR-100", "CSISOLATIN1":
		var b strings.Builder
		for _, c := range data {
			b.WriteRune(rune(c))
		}
		return b.String(), true
	case "US-ASCII", "ASCII", "ISO646-US", "646", "ASCII7", "CP367", "IBM367", "DEFAULT", "US", "CSASCII":
		var b strings.Builder
		for _, c := range data {
			if c < utf8.RuneSelf {
				b.WriteByte(c)
			} else {
				b.WriteRune(utf8.RuneError)
			}
		}
		return b.String(), true
	case "UTF-16", "UTF16", "UTF-16BE", "UTF16BE", "UNICODEBIGUNMARKED", "UTF-16LE", "UTF16LE", "UNICODELITTLEUNMARKED":
		upper := strings.ToUpper(name)
		little := strings.Contains(upper, "LE") || strings.Contains(upper, "LITTLE")
		if !strings.Contains(upper, "BE") && !little && !strings.Contains(upper, "BIG") && len(data) >= 2 {
			// Plain UTF-16: a byte order mark decides and is dropped.
			switch {
			case data[0] == 0xFE && data[1] == 0xFF:
				data = data[2:]
			case data[0] == 0xFF && data[1] == 0xFE:
				data, little = data[2:], true
			}
		}
		units := make([]uint16, 0, len(data)/2)
		for i := 0; i+1 < len(data); i += 2 {
			if little {
				units = append(units, uint16(data[i])|uint16(data[i+1])<<8)
			} else {
				units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
			}
		}
		s := string(utf16.Decode(units))
		if len(data)%2 == 1 {
			s += string(utf8.RuneError)
		}
		return s, true
	}
	return "", false
}

// consoleUUID is UUID.fromString(s).toString() (JDK 11 rules).
func consoleUUID(s string) (string, *throwable) {
	invalid := newThrowable("java.lang.IllegalArgumentException", "Invalid UUID string: "+s)
	if len(s) > 36 {
		return "", newThrowable("java.lang.IllegalArgumentException", "UUID string too large")
	}
	parts := strings.Split(s, "-")
	if len(parts) != 5 {
		return "", invalid
	}
	var vals [5]uint64
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 16, 64)
		if err != nil {
			return "", newThrowable("java.lang.NumberFormatException", `For input string: "`+p+`"`)
		}
		vals[i] = uint64(n)
	}
	msb := (vals[0]&0xffffffff)<<32 | (vals[1]&0xffff)<<16 | vals[2]&0xffff
	lsb := (vals[3]&0xffff)<<48 | vals[4]&0xffffffffffff
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", msb>>32, (msb>>16)&0xffff, msb&0xffff, lsb>>48, lsb&0xffffffffffff), nil
}
