package oracle

import (
	"regexp"
	"strings"
)

var (
	// log4j's ISO8601 %d: 2021-06-01 12:34:56,789
	log4jTime = regexp.MustCompile(`\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}\]`)
	// Kafka's Uuid.toString: base64url without padding, 22 characters.
	topicID = regexp.MustCompile(`TopicId: [A-Za-z0-9_-]{22}\b`)
	// ConsoleConsumer's default group: console-consumer-<Random.nextInt(100000)>.
	consoleGroup = regexp.MustCompile(`console-consumer-\d+`)

	// Lines of a Java stack trace below its message line.
	stackLine = regexp.MustCompile(`^(\t+(at |\.\.\. \d+ more$|Caused by: |Suppressed: )|Caused by: )`)

	// Lines the JVM or SLF4J print on their own account.
	jvmNoise = regexp.MustCompile(`^(` +
		`OpenJDK 64-Bit Server VM warning: |` +
		`Java HotSpot\(TM\) 64-Bit Server VM warning: |` +
		`OpenJDK 64-Bit Server VM \(|` +
		`SLF4J: |` +
		`Picked up (JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS): |` +
		`\[[0-9.]+s\]\[(warning|error)\]\[|` +
		`WARNING: (An illegal reflective access operation has occurred|Illegal reflective access by |` +
		`Please consider reporting this to the maintainers|Use --illegal-access=warn|` +
		`All illegal access operations will be denied)` +
		`)`)
)

// Normalize is the comparison filter applied to oracle and candidate output
// alike. It
//   - replaces log4j timestamps "[2021-06-01 12:34:56,789]" by "[TIME]";
//   - drops Java stack frames ("\tat …", "\t... N more") and the "Caused by:"
//     and "Suppressed:" lines of the chain (the message line stays);
//   - replaces the 22-character topic id after "TopicId: " by "<ID>";
//   - replaces "console-consumer-<digits>" by "console-consumer-<N>";
//   - drops lines the JVM and SLF4J print on their own (VM warnings,
//     "Picked up JAVA_TOOL_OPTIONS", SLF4J binding notices, illegal-access
//     warnings, unified-logging warnings).
//
// Everything else, trailing blanks and the final newline included, is kept.
func Normalize(s string) string {
	if s == "" {
		return s
	}
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, line := range lines {
		if line == "" {
			continue
		}
		body := strings.TrimSuffix(line, "\n")
		if stackLine.MatchString(body) || jvmNoise.MatchString(body) {
			continue
		}
		line = log4jTime.ReplaceAllLiteralString(line, "[TIME]")
		line = topicID.ReplaceAllLiteralString(line, "TopicId: <ID>")
		line = consoleGroup.ReplaceAllLiteralString(line, "console-consumer-<N>")
		b.WriteString(line)
	}
	return b.String()
}
