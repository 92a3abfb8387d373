package oracle

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain kept byte for byte", "Created topic t1.\n", "Created topic t1.\n"},
		{"no final newline kept", "a\nb", "a\nb"},
		{"trailing blanks kept", "Option  Description  \n", "Option  Description  \n"},
		{
			"log4j timestamp",
			"[2021-06-01 12:34:56,789] ERROR Error processing message, terminating consumer process:  (kafka.tools.ConsoleConsumer$)\n",
			"[TIME] ERROR Error processing message, terminating consumer process:  (kafka.tools.ConsoleConsumer$)\n",
		},
		{
			"bracketed text that is not a timestamp",
			"Missing required argument \"[topic]\"\n",
			"Missing required argument \"[topic]\"\n",
		},
		{
			"stack frames and causes dropped, message and logger kept",
			"[2026-11-25 11:50:41,388] ERROR java.lang.IllegalArgumentException: bad\n" +
				"\tat kafka.admin.TopicCommand$.main(TopicCommand.scala:63)\n" +
				"\tat kafka.admin.TopicCommand.main(TopicCommand.scala)\n" +
				"Caused by: java.lang.RuntimeException: inner\n" +
				"\tat x.y(Z.java:1)\n" +
				"\t... 2 more\n" +
				"\tSuppressed: java.io.IOException: s\n" +
				"\t\tat a.b(C.java:2)\n" +
				" (kafka.admin.TopicCommand$)\n",
			"[TIME] ERROR java.lang.IllegalArgumentException: bad\n" +
				" (kafka.admin.TopicCommand$)\n",
		},
		{
			"uncaught exception keeps its first line",
			"Exception in thread \"main\" joptsimple.UnrecognizedOptionException: foo is not a recognized option\n" +
				"\tat joptsimple.OptionException.unrecognizedOption(OptionException.java:108)\n",
			"Exception in thread \"main\" joptsimple.UnrecognizedOptionException: foo is not a recognized option\n",
		},
		{
			"help text lines starting with spaces and 'at' are not frames",
			"--foo                                    at least one\n" +
				"                                           at most two\n",
			"--foo                                    at least one\n" +
				"                                           at most two\n",
		},
		{
			"topic id",
			"Topic: t1\tTopicId: iw81syyRT--U01QOspRiCw\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: \n",
			"Topic: t1\tTopicId: <ID>\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: \n",
		},
		{
			"topic id with underscore and dash",
			"TopicId: _-aZ09_-aZ09_-aZ09_-aZ\tX\n",
			"TopicId: <ID>\tX\n",
		},
		{
			"short id not touched",
			"TopicId: abc\n",
			"TopicId: abc\n",
		},
		{
			"console consumer group",
			"console-consumer-4711 t 0 1 2\nGROUP console-consumer-7\n",
			"console-consumer-<N> t 0 1 2\nGROUP console-consumer-<N>\n",
		},
		{
			"jvm and slf4j noise dropped",
			"OpenJDK 64-Bit Server VM warning: Options -Xverify:none are deprecated\n" +
				"Picked up JAVA_TOOL_OPTIONS: -Dfoo=bar\n" +
				"SLF4J: Class path contains multiple SLF4J bindings.\n" +
				"SLF4J: Found binding in [jar:file:/x.jar!/org/slf4j/impl/StaticLoggerBinder.class]\n" +
				"[0.012s][warning][cds] Archived non-system classes are disabled\n" +
				"WARNING: An illegal reflective access operation has occurred\n" +
				"WARNING: Illegal reflective access by x to y\n" +
				"WARNING: Please consider reporting this to the maintainers of x\n" +
				"WARNING: Use --illegal-access=warn to enable warnings of further illegal reflective access operations\n" +
				"WARNING: All illegal access operations will be denied in a future release\n" +
				"real output\n",
			"real output\n",
		},
		{
			"Kafka's own WARNING lines stay",
			"WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n",
			"WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n",
		},
		{
			"dropping the last line keeps earlier newlines",
			"x\n\tat a.b(C.java:1)",
			"x\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			if got := Normalize(Normalize(tc.in)); got != tc.want {
				t.Errorf("Normalize is not idempotent on %q: %q", tc.in, got)
			}
		})
	}
}
