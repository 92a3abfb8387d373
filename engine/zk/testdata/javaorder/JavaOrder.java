// JavaOrder prints java.util.HashSet iteration orders for the cases in
// javaorder.txt's header, so the Go emulation (jset in tree.go) can be
// checked against a real JDK. Regenerate with:
//
//	java JavaOrder.java > ../javaorder.txt
//
// Each case is a list of operations on a HashSet made with the given initial
// capacity: "+x" adds x, "-x" removes it, "clone" replaces the set by its
// clone (HashSet.clone), "print" prints the iteration order.
import java.util.*;

public class JavaOrder {
    static List<String> seqNames(String prefix, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) out.add(String.format("%s%010d", prefix, i));
        return out;
    }

    static int spread(String s) { int h = s.hashCode(); return h ^ (h >>> 16); }

    public static void main(String[] args) {
        Map<String, List<String>> cases = new LinkedHashMap<>();
        List<String> ops;

        ops = new ArrayList<>(List.of("+zookeeper", "print", "+brokers", "+config", "+admin", "+cluster", "+controller",
            "+controller_epoch", "+isr_change_notification", "+consumers", "+log_dir_event_notification",
            "+latest_producer_id_block", "+feature", "print", "-controller", "print", "+controller", "print"));
        cases.put("root 8", ops);

        ops = new ArrayList<>();
        for (int i = 0; i < 12; i++) ops.add("+" + i);
        ops.add("print");
        for (int i = 0; i < 12; i += 3) ops.add("-" + i);
        ops.add("print");
        ops.add("+1001"); ops.add("+0"); ops.add("print");
        cases.put("ids 8", ops);

        ops = new ArrayList<>();
        for (String n : seqNames("config_change_", 0, 40)) ops.add("+" + n);
        ops.add("print");
        for (String n : seqNames("config_change_", 0, 35)) ops.add("-" + n);
        ops.add("print");
        ops.add("clone"); ops.add("print");
        cases.put("seq 8", ops);

        // Nine names in one bucket of a 32-slot table: the ninth makes
        // treeifyBin double the table.
        List<String> coll = new ArrayList<>();
        for (int i = 0; coll.size() < 9; i++) {
            String k = "n" + i;
            if ((spread(k) & 31) == 5) coll.add(k);
        }
        ops = new ArrayList<>();
        for (int i = 0; i < 14; i++) ops.add("+f" + i);
        for (String k : coll) ops.add("+" + k);
        ops.add("print");
        cases.put("collide 8", ops);

        ops = new ArrayList<>(List.of("+/brokers/ids/0", "print", "clone", "print"));
        cases.put("eph1 16", ops);
        ops = new ArrayList<>(List.of("+/brokers/ids/0", "+/controller", "clone", "print", "+/a/b", "+/x", "print"));
        cases.put("eph2 16", ops);
        ops = new ArrayList<>();
        for (int i = 0; i < 20; i++) ops.add("+/locks/lock-" + String.format("%010d", i));
        for (int i = 0; i < 20; i += 2) ops.add("-/locks/lock-" + String.format("%010d", i));
        ops.add("print"); ops.add("clone"); ops.add("print"); ops.add("+/q"); ops.add("+/r"); ops.add("print");
        cases.put("eph20 16", ops);
        ops = new ArrayList<>(List.of("+é", "+中文", "+ä/b", "+x", "+\u00e9t\u00e9", "print"));
        cases.put("utf 8", ops);
        ops = new ArrayList<>(List.of("clone", "+/a", "+/b", "print"));
        cases.put("empty 16", ops);

        for (Map.Entry<String, List<String>> e : cases.entrySet()) {
            String[] nc = e.getKey().split(" ");
            HashSet<String> s = new HashSet<>(Integer.parseInt(nc[1]));
            System.out.println("case " + e.getKey());
            StringBuilder line = new StringBuilder("ops");
            for (String op : e.getValue()) {
                line.append(' ').append(op);
            }
            System.out.println(line);
            for (String op : e.getValue()) {
                if (op.equals("print")) {
                    System.out.println("order " + String.join(" ", s));
                } else if (op.equals("clone")) {
                    @SuppressWarnings("unchecked")
                    HashSet<String> c = (HashSet<String>) s.clone();
                    s = c;
                } else if (op.startsWith("+")) {
                    s.add(op.substring(1));
                } else if (op.startsWith("-")) {
                    s.remove(op.substring(1));
                }
            }
            System.out.println();
        }
    }
}
