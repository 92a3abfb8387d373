package cluster

import (
	crand "crypto/rand"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
)

// BrokerMetadata is a broker as replica assignment sees it
// (kafka.admin.BrokerMetadata): its id and, if configured, its rack.
type BrokerMetadata struct {
	ID   int32
	Rack *string // nil: no broker.rack
}

// RackAwareMode is kafka.admin.RackAwareMode.
type RackAwareMode int

const (
	// RackAwareEnforced fails if only some brokers have a rack (the default).
	RackAwareEnforced RackAwareMode = iota
	// RackAwareDisabled ignores racks (--disable-rack-aware).
	RackAwareDisabled
	// RackAwareSafe uses racks only when every broker has one.
	RackAwareSafe
)

// Assignment maps a partition id to its replica list (broker ids, preferred
// leader first), as Kafka's Map[Int, Seq[Int]].
type Assignment map[int32][]int32

// Partitions returns the partition ids in ascending order.
func (a Assignment) Partitions() []int32 {
	ps := make([]int32, 0, len(a))
	for p := range a {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	return ps
}

// AssignOptions fixes the otherwise random parts of an assignment.
type AssignOptions struct {
	// FixedStartIndex, when >= 0, is used both as the index of partition 0's
	// first replica and as the initial replica shift; when < 0 both are drawn
	// from Rand (start index first), as Kafka draws them with
	// rand.nextInt(brokers).
	FixedStartIndex int32
	// StartPartitionID is the first partition id to assign (values < 0 mean 0).
	StartPartitionID int32
	// Rand supplies the random start index and shift when FixedStartIndex < 0;
	// nil means a source seeded from crypto/rand for this call.
	Rand *rand.Rand
}

// AssignReplicasToBrokers is AdminUtils.assignReplicasToBrokers: the first
// replica of each partition round-robin over the brokers from a start index,
// the others at an increasing shift; rack-aware (alternating racks) when
// every broker has a rack. brokers should be sorted by id (Kafka passes them
// sorted). Errors carry Kafka's messages.
func AssignReplicasToBrokers(brokers []BrokerMetadata, nPartitions, replicationFactor int32, opts AssignOptions) (Assignment, error) {
	if nPartitions <= 0 {
		return nil, newErr(ErrInvalidPartitions, ClassInvalidPartitions, "Number of partitions must be larger than 0.")
	}
	if replicationFactor <= 0 {
		return nil, newErr(ErrInvalidReplicationFactor, ClassInvalidReplicationFactor, "Replication factor must be larger than 0.")
	}
	if int(replicationFactor) > len(brokers) {
		return nil, newErr(ErrInvalidReplicationFactor, ClassInvalidReplicationFactor,
			"Replication factor: %d larger than available brokers: %d.", replicationFactor, len(brokers))
	}
	withRack := 0
	for _, b := range brokers {
		if b.Rack != nil {
			withRack++
		}
	}
	if withRack == 0 {
		ids := make([]int32, len(brokers))
		for i, b := range brokers {
			ids[i] = b.ID
		}
		return assignRackUnaware(nPartitions, replicationFactor, ids, opts), nil
	}
	if withRack < len(brokers) {
		return nil, newErr(ErrAdminOperation, ClassAdminOperation,
			"Not all brokers have rack information for replica rack aware assignment.")
	}
	return assignRackAware(nPartitions, replicationFactor, brokers, opts), nil
}

func startAndShift(n int, opts AssignOptions) (start, shift int) {
	if opts.FixedStartIndex >= 0 {
		return int(opts.FixedStartIndex), int(opts.FixedStartIndex)
	}
	r := opts.Rand
	if r == nil {
		var seed [32]byte
		_, _ = crand.Read(seed[:])
		r = rand.New(rand.NewChaCha8(seed))
	}
	start = r.IntN(n)
	shift = r.IntN(n)
	return start, shift
}

func replicaIndex(firstReplicaIndex, secondReplicaShift, replicaIndex, nBrokers int) int {
	shift := 1 + (secondReplicaShift+replicaIndex)%(nBrokers-1)
	return (firstReplicaIndex + shift) % nBrokers
}

func assignRackUnaware(nPartitions, rf int32, brokers []int32, opts AssignOptions) Assignment {
	ret := make(Assignment, nPartitions)
	n := len(brokers)
	start, shift := startAndShift(n, opts)
	pid := max(0, int(opts.StartPartitionID))
	for range nPartitions {
		if pid > 0 && pid%n == 0 {
			shift++
		}
		first := (pid + start) % n
		reps := []int32{brokers[first]}
		for j := range int(rf) - 1 {
			reps = append(reps, brokers[replicaIndex(first, shift, j, n)])
		}
		ret[int32(pid)] = reps
		pid++
	}
	return ret
}

// RackAlternatedBrokerList is AdminUtils.getRackAlternatedBrokerList: racks in
// sorted order, each rack's brokers in id order, taken one per rack in turn.
func RackAlternatedBrokerList(rackOf map[int32]string) []int32 {
	byRack := make(map[string][]int32)
	for id, rack := range rackOf {
		byRack[rack] = append(byRack[rack], id)
	}
	racks := make([]string, 0, len(byRack))
	for r, ids := range byRack {
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		racks = append(racks, r)
	}
	sort.Strings(racks)
	var out []int32
	for i := 0; len(out) < len(rackOf); i = (i + 1) % len(racks) {
		if ids := byRack[racks[i]]; len(ids) > 0 {
			out = append(out, ids[0])
			byRack[racks[i]] = ids[1:]
		}
	}
	return out
}

func assignRackAware(nPartitions, rf int32, brokers []BrokerMetadata, opts AssignOptions) Assignment {
	rackOf := make(map[int32]string, len(brokers))
	racks := make(map[string]bool)
	for _, b := range brokers {
		rackOf[b.ID] = *b.Rack
	}
	for _, r := range rackOf {
		racks[r] = true
	}
	numRacks := len(racks)
	arranged := RackAlternatedBrokerList(rackOf)
	n := len(arranged)
	ret := make(Assignment, nPartitions)
	start, shift := startAndShift(n, opts)
	pid := max(0, int(opts.StartPartitionID))
	for range nPartitions {
		if pid > 0 && pid%n == 0 {
			shift++
		}
		first := (pid + start) % n
		leader := arranged[first]
		reps := []int32{leader}
		racksWith := map[string]bool{rackOf[leader]: true}
		brokersWith := map[int32]bool{leader: true}
		k := 0
		for range int(rf) - 1 {
			for {
				b := arranged[replicaIndex(first, shift*numRacks, k, n)]
				r := rackOf[b]
				k++
				if (!racksWith[r] || len(racksWith) == numRacks) && (!brokersWith[b] || len(brokersWith) == n) {
					reps = append(reps, b)
					racksWith[r] = true
					brokersWith[b] = true
					break
				}
			}
		}
		ret[int32(pid)] = reps
		pid++
	}
	return ret
}

// ParseReplicaAssignment is TopicCommand.parseReplicaAssignment for
// --replica-assignment "0:1,1:2" (partition i gets the i-th comma-separated
// list of ':'-separated broker ids), with Java's splitting and number rules
// and Kafka's messages:
//
//	Partition replica lists may not contain duplicate entries: 1
//	For input string: "a"
//	Partition 1 has different replication factor: [I@<hex>
//
// The last one prints a Java int[] reference, which cannot be reproduced; the
// text ends in "[I@" and eight hex digits derived from the list.
func ParseReplicaAssignment(s string) (Assignment, error) {
	parts := javaSplit(s, ",")
	ret := make(Assignment, len(parts))
	for i, part := range parts {
		fields := javaSplit(part, ":")
		brokers := make([]int32, 0, len(fields))
		for _, f := range fields {
			v, err := javaParseInt(javaTrim(f))
			if err != nil {
				return nil, err
			}
			brokers = append(brokers, v)
		}
		if dups := scalaDuplicates(brokers); len(dups) > 0 {
			strs := make([]string, len(dups))
			for j, d := range dups {
				strs[j] = strconv.Itoa(int(d))
			}
			return nil, newErr(ErrInvalidReplicaAssignment, ClassAdminCommandFailed,
				"Partition replica lists may not contain duplicate entries: %s", strings.Join(strs, ","))
		}
		ret[int32(i)] = brokers
		if len(brokers) != len(ret[0]) {
			return nil, newErr(ErrInvalidReplicaAssignment, ClassAdminOperation,
				"Partition %d has different replication factor: [I@%08x", i, fakeIdentityHash(brokers))
		}
	}
	return ret, nil
}

// scalaDuplicates is CoreUtils.duplicates: the values occurring more than
// once, in the iteration order of the Scala immutable.HashMap built by groupBy.
func scalaDuplicates(vs []int32) []int32 {
	count := make(map[int32]int)
	var distinct []int32
	for _, v := range vs {
		if count[v] == 0 {
			distinct = append(distinct, v)
		}
		count[v]++
	}
	var dups []int32
	for _, v := range distinct {
		if count[v] > 1 {
			dups = append(dups, v)
		}
	}
	// Int.## is the value itself.
	order := champOrder(dups)
	out := make([]int32, len(order))
	for i, j := range order {
		out[i] = dups[j]
	}
	return out
}

// fakeIdentityHash stands in for Java's identity hash of an int[]: stable, not Java's.
func fakeIdentityHash(vs []int32) uint32 {
	h := uint32(2166136261)
	for _, v := range vs {
		for k := 0; k < 4; k++ {
			h ^= uint32(byte(v >> (8 * k)))
			h *= 16777619
		}
	}
	return h | 0x10000000
}

// NewPartitionsAssignment is AdminZkClient.createNewPartitionsAssignment: the
// assignment of the partitions to add so that topic has numPartitions.
// existing is the current assignment (partition 0 must be present); manual,
// if non-empty, is the user's assignment for the new partitions (keyed by
// their partition ids) and is validated against brokers; otherwise replicas
// are assigned continuing the existing layout: the start index is the
// position of the first broker whose id is >= the first replica of partition
// 0, the replication factor that of partition 0, the first new partition id
// the number of existing partitions.
func NewPartitionsAssignment(topic string, existing map[int32]ReplicaAssignment, brokers []BrokerMetadata,
	numPartitions int32, manual Assignment) (Assignment, error) {
	p0, ok := existing[0]
	if !ok {
		return nil, newErr(ErrAdminOperation, ClassAdminOperation,
			"Unexpected existing replica assignment for topic '%s', partition id 0 is missing. Assignment: %s",
			topic, scalaAssignmentString(existing))
	}
	toAdd := int(numPartitions) - len(existing)
	if toAdd <= 0 {
		return nil, newErr(ErrInvalidPartitions, ClassInvalidPartitions,
			"The number of partitions for a topic can only be increased. Topic %s currently has %d partitions, %d would not be an increase.",
			topic, len(existing), numPartitions)
	}
	if len(manual) > 0 {
		ids := make(map[int32]bool, len(brokers))
		for _, b := range brokers {
			ids[b.ID] = true
		}
		if err := validateReplicaAssignment(manual, len(p0.Replicas), brokers, ids); err != nil {
			return nil, err
		}
		out := make(Assignment, len(manual))
		for p, r := range manual {
			out[p] = append([]int32(nil), r...)
		}
		return out, nil
	}
	start := 0
	if len(p0.Replicas) > 0 {
		for i, b := range brokers {
			if b.ID >= p0.Replicas[0] {
				start = i
				break
			}
		}
	}
	return AssignReplicasToBrokers(brokers, int32(toAdd), int32(len(p0.Replicas)), AssignOptions{
		FixedStartIndex:  int32(start),
		StartPartitionID: int32(len(existing)),
	})
}

// validateReplicaAssignment is AdminZkClient.validateReplicaAssignment.
// Kafka walks a Scala Map; partitions are checked here in ascending order.
func validateReplicaAssignment(a Assignment, expectedRF int, brokers []BrokerMetadata, available map[int32]bool) error {
	for _, p := range a.Partitions() {
		reps := a[p]
		if len(reps) == 0 {
			return newErr(ErrInvalidReplicaAssignment, ClassInvalidReplicaAssignment,
				"Cannot have replication factor of 0 for partition id %d.", p)
		}
		if len(scalaDuplicates(reps)) > 0 {
			return newErr(ErrInvalidReplicaAssignment, ClassInvalidReplicaAssignment,
				"Duplicate brokers not allowed in replica assignment: %s for partition id %d.", joinInts(reps, ", "), p)
		}
		for _, r := range reps {
			if !available[r] {
				ids := make([]int32, 0, len(brokers))
				for _, b := range brokers {
					ids = append(ids, b.ID)
				}
				return newErr(ErrBrokerNotAvailable, ClassBrokerNotAvailable,
					"Some brokers specified for partition id %d are not available. Specified brokers: %s, available brokers: %s.",
					p, joinInts(reps, ", "), joinInts(scalaIntSetOrder(ids), ", "))
			}
		}
	}
	var bad, rfs []int32
	for _, p := range a.Partitions() {
		if len(a[p]) != expectedRF {
			bad = append(bad, p)
			rfs = append(rfs, int32(len(a[p])))
		}
	}
	if len(bad) > 0 {
		return newErr(ErrInvalidReplicaAssignment, ClassInvalidReplicaAssignment,
			"Inconsistent replication factor between partitions, partition 0 has %d while partitions [%s] have replication factors [%s], respectively.",
			expectedRF, joinInts(bad, ", "), joinInts(rfs, ", "))
	}
	return nil
}

// scalaIntSetOrder is the iteration order of a Scala immutable Set[Int] built
// from ids in order: insertion order up to four elements, CHAMP beyond.
func scalaIntSetOrder(ids []int32) []int32 {
	var distinct []int32
	seen := make(map[int32]bool)
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			distinct = append(distinct, id)
		}
	}
	if len(distinct) <= 4 {
		return distinct
	}
	order := champOrder(distinct)
	out := make([]int32, len(order))
	for i, j := range order {
		out[i] = distinct[j]
	}
	return out
}

func joinInts(vs []int32, sep string) string {
	strs := make([]string, len(vs))
	for i, v := range vs {
		strs[i] = strconv.Itoa(int(v))
	}
	return strings.Join(strs, sep)
}

// scalaAssignmentString renders an assignment roughly as Scala prints a
// Map[Int, ReplicaAssignment] (partitions ascending).
func scalaAssignmentString(a map[int32]ReplicaAssignment) string {
	ps := make([]int32, 0, len(a))
	for p := range a {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	parts := make([]string, len(ps))
	for i, p := range ps {
		ra := a[p]
		parts[i] = strconv.Itoa(int(p)) + " -> ReplicaAssignment(replicas=" + joinInts(ra.Replicas, ",") +
			", addingReplicas=" + joinInts(ra.AddingReplicas, ",") + ", removingReplicas=" + joinInts(ra.RemovingReplicas, ",") + ")"
	}
	return "Map(" + strings.Join(parts, ", ") + ")"
}

// ValidateAssignmentForCreate checks an explicit assignment the way
// AdminZkClient.validateTopicCreate does after the name checks.
func ValidateAssignmentForCreate(a Assignment) error {
	sizes := make(map[int]bool)
	for _, r := range a {
		sizes[len(r)] = true
	}
	if len(sizes) != 1 {
		return newErr(ErrInvalidReplicaAssignment, ClassInvalidReplicaAssignment, "All partitions should have the same number of replicas")
	}
	for _, p := range a.Partitions() {
		if len(scalaDuplicates(a[p])) > 0 {
			return newErr(ErrInvalidReplicaAssignment, ClassInvalidReplicaAssignment,
				"Duplicate replica assignment found: %s", scalaIntListMapString(a))
		}
	}
	n := int64(len(a))
	var sum int64
	for p := range a {
		if p >= 0 {
			sum += int64(p)
		}
	}
	if sum != n*(n-1)/2 {
		return newErr(ErrInvalidReplicaAssignment, ClassInvalidReplicaAssignment, "partitions should be a consecutive 0-based integer sequence")
	}
	return nil
}

// scalaIntListMapString renders an assignment as Scala prints the
// LinkedHashMap from ParseReplicaAssignment (partitions ascending).
func scalaIntListMapString(a Assignment) string {
	ps := a.Partitions()
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = strconv.Itoa(int(p)) + " -> List(" + joinInts(a[p], ", ") + ")"
	}
	return "LinkedHashMap(" + strings.Join(parts, ", ") + ")"
}
