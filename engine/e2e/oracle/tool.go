package oracle

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	// DefaultToolTimeout bounds one tool run when no timeout is given. It is
	// above the admin client's 60 s default.api.timeout.ms, so a tool that
	// reports a broker timeout still finishes on its own.
	DefaultToolTimeout = 120 * time.Second

	// InterruptGrace is how long a tool may take to exit after it has been
	// interrupted (SIGINT, as Ctrl-C) before it is killed.
	InterruptGrace = 10 * time.Second
)

// Result is what one tool run printed and how it exited.
type Result struct {
	Stdout string
	Stderr string
	// Exit is the exit status; -1 when the process was killed by a signal
	// without exiting (e.g. SIGKILL after InterruptGrace) or never ran.
	Exit int
	// TimedOut is set by RunTool* when its timeout interrupted the tool.
	TimedOut bool
}

// ToolOptions tunes [RunToolWith].
type ToolOptions struct {
	Stdin   string        // standard input; empty means /dev/null
	Timeout time.Duration // 0 means DefaultToolTimeout; on expiry: SIGINT, then SIGKILL after InterruptGrace
	Env     []string      // extra KEY=VALUE entries for the JVM's environment
	Dir     string        // working directory; "" means the test's
	JVMArgs []string      // extra JVM flags (e.g. -Dkey=value), placed before -cp
}

// toolSpec is how bin/<tool>.sh of the 2.8.2 distribution starts a tool.
type toolSpec struct {
	class  string
	prefix []string // arguments the script puts before the user's
	heap   string   // -Xmx the script sets (kafka-run-class default otherwise)
}

// toolTable maps bin/ script names (without .sh) to main classes
// (cli.md §1.2). Add a row to make a tool available to RunTool cases; tools
// whose classes are not in the cache (Connect, Streams, the metadata shell)
// are left out. kafka-run-class takes the class as its first argument.
func toolTable() map[string]toolSpec {
	return map[string]toolSpec{
		"kafka-topics":                     {class: "kafka.admin.TopicCommand"},
		"kafka-console-producer":           {class: "kafka.tools.ConsoleProducer", heap: "512m"},
		"kafka-console-consumer":           {class: "kafka.tools.ConsoleConsumer", heap: "512m"},
		"kafka-consumer-groups":            {class: "kafka.admin.ConsumerGroupCommand"},
		"kafka-configs":                    {class: "kafka.admin.ConfigCommand"},
		"kafka-producer-perf-test":         {class: "org.apache.kafka.tools.ProducerPerformance", heap: "512m"},
		"kafka-consumer-perf-test":         {class: "kafka.tools.ConsumerPerformance", heap: "512m"},
		"kafka-dump-log":                   {class: "kafka.tools.DumpLogSegments"},
		"kafka-delete-records":             {class: "kafka.admin.DeleteRecordsCommand"},
		"kafka-leader-election":            {class: "kafka.admin.LeaderElectionCommand"},
		"kafka-preferred-replica-election": {class: "kafka.admin.PreferredReplicaLeaderElectionCommand"},
		"kafka-reassign-partitions":        {class: "kafka.admin.ReassignPartitionsCommand"},
		"kafka-broker-api-versions":        {class: "kafka.admin.BrokerApiVersionsCommand"},
		"kafka-acls":                       {class: "kafka.admin.AclCommand"},
		"kafka-log-dirs":                   {class: "kafka.admin.LogDirsCommand"},
		"kafka-delegation-tokens":          {class: "kafka.admin.DelegationTokenCommand"},
		"kafka-features":                   {class: "kafka.admin.FeatureCommand"},
		"kafka-cluster":                    {class: "kafka.tools.ClusterTool"},
		"kafka-storage":                    {class: "kafka.tools.StorageTool"},
		"kafka-mirror-maker":               {class: "kafka.tools.MirrorMaker"},
		"kafka-replica-verification":       {class: "kafka.tools.ReplicaVerificationTool"},
		"kafka-streams-application-reset":  {class: "kafka.tools.StreamsResetter", heap: "512m"},
		"kafka-verifiable-producer":        {class: "org.apache.kafka.tools.VerifiableProducer", heap: "512m"},
		"kafka-verifiable-consumer":        {class: "org.apache.kafka.tools.VerifiableConsumer", heap: "512m"},
		"zookeeper-security-migration":     {class: "kafka.admin.ZkSecurityMigrator"},
		"zookeeper-shell":                  {class: "org.apache.zookeeper.ZooKeeperMainWithTlsSupportForKafka", prefix: []string{"-server"}},
	}
}

// ToolClass returns the main class and leading arguments bin/<tool>.sh uses.
// A trailing ".sh" is ignored. For "kafka-run-class" the class is args[0].
func ToolClass(tool string, args []string) (class string, fullArgs []string, err error) {
	name := strings.TrimSuffix(filepath.Base(tool), ".sh")
	if name == "kafka-run-class" {
		if len(args) == 0 {
			return "", nil, errors.New("oracle: kafka-run-class needs a class name")
		}
		return args[0], args[1:], nil
	}
	spec, ok := toolTable()[name]
	if !ok {
		return "", nil, fmt.Errorf("oracle: unknown tool %q (known: %s)", tool, strings.Join(Tools(), ", "))
	}
	return spec.class, append(append([]string{}, spec.prefix...), args...), nil
}

// Tools lists the tool names ToolClass knows, sorted.
func Tools() []string {
	var names []string
	for n := range toolTable() {
		names = append(names, n)
	}
	names = append(names, "kafka-run-class")
	sort.Strings(names)
	return names
}

func toolHeap(class string) string {
	for _, s := range toolTable() {
		if s.class == class && s.heap != "" {
			return s.heap
		}
	}
	return "256m" // kafka-run-class.sh's KAFKA_HEAP_OPTS default
}

// RunTool runs a Kafka tool main class (e.g. kafka.admin.TopicCommand) as
// bin/kafka-run-class.sh does, with tools-log4j.properties, no stdin and
// DefaultToolTimeout. The test is skipped when Java or the cache is missing.
func RunTool(t testing.TB, class string, args ...string) Result {
	t.Helper()
	return RunToolWith(t, ToolOptions{}, class, args...)
}

// RunToolInput is RunTool with stdin as standard input.
func RunToolInput(t testing.TB, stdin, class string, args ...string) Result {
	t.Helper()
	return RunToolWith(t, ToolOptions{Stdin: stdin}, class, args...)
}

// RunToolWith is RunTool with options.
func RunToolWith(t testing.TB, opts ToolOptions, class string, args ...string) Result {
	t.Helper()
	env := requireKafka(t)
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultToolTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	res, err := runClass(ctx, env, opts, class, args)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return res
}

// runClass runs one tool JVM. When ctx is done the JVM gets SIGINT (its
// shutdown hooks run, as on Ctrl-C) and, InterruptGrace later, SIGKILL.
func runClass(ctx context.Context, env kafkaEnv, opts ToolOptions, class string, args []string) (Result, error) {
	argv := []string{
		"-Xmx" + toolHeap(class),
		"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
		"-Djava.awt.headless=true",
		"-Dlog4j.configuration=file:" + filepath.Join(env.home, toolsLog4j),
	}
	argv = append(argv, opts.JVMArgs...)
	argv = append(argv, "-cp", env.classpath(), class)
	argv = append(argv, args...)
	return runInterruptible(ctx, env.java, argv, opts.Stdin, opts.Env, opts.Dir)
}

// runInterruptible runs name argv with stdin, interrupting it when ctx is done.
func runInterruptible(ctx context.Context, name string, argv []string, stdin string, extraEnv []string, dir string) (Result, error) {
	cmd := exec.CommandContext(ctx, name, argv...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = InterruptGrace
	cmd.SysProcAttr = sysProcAttr()
	cmd.Dir = dir
	if len(extraEnv) > 0 {
		cmd.Env = append(os.Environ(), extraEnv...)
	}
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return Result{Exit: -1}, fmt.Errorf("oracle: start %s: %w", name, err)
	}
	_ = cmd.Wait() // the exit status is in ProcessState; Wait's error only repeats it
	return Result{
		Stdout:   stdout.String(),
		Stderr:   stderr.String(),
		Exit:     cmd.ProcessState.ExitCode(),
		TimedOut: ctx.Err() != nil,
	}, nil
}

// Runner runs one step of a case: a bin/ tool name (e.g. "kafka-topics"),
// its arguments with placeholders already substituted, and standard input
// ("" for none). When ctx is done the runner must interrupt the tool as
// Ctrl-C would (SIGINT for a process; cancelling the context of an
// in-process command) and still return what it printed and its exit status.
type Runner func(ctx context.Context, tool string, args []string, stdin string) Result

// KafkaRunner returns a Runner that runs steps through Kafka 2.8.2's own tool
// classes (the oracle). The test is skipped when Java or the cache is missing.
func KafkaRunner(t testing.TB) Runner {
	t.Helper()
	env := requireKafka(t)
	return func(ctx context.Context, tool string, args []string, stdin string) Result {
		class, full, err := ToolClass(tool, args)
		if err != nil {
			return Result{Stderr: err.Error() + "\n", Exit: 127}
		}
		res, err := runClass(ctx, env, ToolOptions{Stdin: stdin}, class, full)
		if err != nil {
			return Result{Stderr: err.Error() + "\n", Exit: -1}
		}
		return res
	}
}

// ExecRunner returns a Runner that runs a multi-call binary as
// `binary <tool> <args…>` (our bin/kafka), interrupting it with SIGINT when
// the step's context is done and killing it InterruptGrace later.
func ExecRunner(binary string, extraEnv ...string) Runner {
	return func(ctx context.Context, tool string, args []string, stdin string) Result {
		argv := append([]string{strings.TrimSuffix(tool, ".sh")}, args...)
		res, err := runInterruptible(ctx, binary, argv, stdin, extraEnv, "")
		if err != nil {
			return Result{Stderr: err.Error() + "\n", Exit: -1}
		}
		return res
	}
}
