// LogWriter drives Apache Kafka 2.8.2's own kafka.log.Log (from its jars) to
// write a partition directory, so engine/log's tests can compare their files
// with Kafka's byte for byte. It is test tooling of this repository, compiled
// and run by kafka_oracle_test.go against the cached Kafka jars.
//
//   java -cp <kafka libs>/*:<classes> LogWriter <partition dir> <ops file> [key=value log configs...]
//
// The ops file is a sequence of records:
//   'L' int32 leaderEpoch int32 length bytes   appendAsLeader (origin Client)
//   'F' int32 length bytes                     appendAsFollower
//   'T' UTF topicId                            assignTopicId
//   'X' int64 offset                           truncateTo
//   'H' int64 offset                           updateHighWatermark
// After the last record the log is flushed and closed, as a clean shutdown does.

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Properties;

import kafka.api.ApiVersion;
import kafka.log.AppendOrigin;
import kafka.log.Log;
import kafka.log.LogConfig;
import kafka.server.BrokerTopicStats;
import kafka.server.LogDirFailureChannel;
import kafka.utils.KafkaScheduler;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.utils.Time;

public class LogWriter {
    public static void main(String[] args) throws Exception {
        File dir = new File(args[0]);
        Properties props = new Properties();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            props.put(kv[0], kv[1]);
        }
        LogConfig config = LogConfig.fromProps(new HashMap<Object, Object>(), props);
        KafkaScheduler scheduler = new KafkaScheduler(1, "oracle-scheduler-", true);
        scheduler.startup();
        Log log = Log.apply(dir, config, 0L, 0L, scheduler, new BrokerTopicStats(), Time.SYSTEM,
            3600000, 600000, new LogDirFailureChannel(1), true, true);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(args[1])))) {
            while (true) {
                int op;
                try {
                    op = in.readUnsignedByte();
                } catch (EOFException e) {
                    break;
                }
                switch (op) {
                    case 'L': {
                        int epoch = in.readInt();
                        log.appendAsLeader(records(in), epoch, AppendOrigin.Client$.MODULE$, ApiVersion.latestVersion());
                        break;
                    }
                    case 'F':
                        log.appendAsFollower(records(in));
                        break;
                    case 'T':
                        log.assignTopicId(Uuid.fromString(in.readUTF()));
                        break;
                    case 'X':
                        log.truncateTo(in.readLong());
                        break;
                    case 'H':
                        log.updateHighWatermark(in.readLong());
                        break;
                    default:
                        throw new IllegalArgumentException("unknown op " + op);
                }
            }
        }
        log.flush();
        log.close();
        scheduler.shutdown();
        System.out.println("logEndOffset=" + log.logEndOffset());
    }

    private static MemoryRecords records(DataInputStream in) throws Exception {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return MemoryRecords.readableRecords(ByteBuffer.wrap(b));
    }
}
