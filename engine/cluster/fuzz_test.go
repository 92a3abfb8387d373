package cluster

import (
	"reflect"
	"testing"
)

// Decoders must never panic; what they accept must survive a round trip.

func FuzzDecodeTopicZNode(f *testing.F) {
	for _, s := range []string{
		`{"partitions":{"0":[0]},"adding_replicas":{},"removing_replicas":{},"version":3}`,
		`{"version":1,"partitions":{"0":[0,1],"1":[1,0]}}`,
		`{"partitions":{"0":[1,2,3]},"topic_id":"AAAAAAAAAAEAAAAAAAAAAg","adding_replicas":{"0":[3]},"removing_replicas":{"0":[1]},"version":3}`,
		`{"partitions":{"+1":[1]}}`, `{}`, `null`, `[]`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := DecodeTopicZNode(data)
		if err != nil {
			return
		}
		back, err := DecodeTopicZNode(z.Encode())
		if err != nil {
			t.Fatalf("re-decode of %s: %v", z.Encode(), err)
		}
		if back.TopicID != z.TopicID || len(back.Partitions) != len(z.Partitions) {
			t.Fatalf("round trip: %+v vs %+v", back, z)
		}
	})
}

func FuzzDecodeBrokerRegistration(f *testing.F) {
	for _, s := range []string{
		`{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://localhost:9092"],"jmx_port":-1,"port":9092,"host":"localhost","version":5,"timestamp":"1634146876386"}`,
		`{"version":1,"host":"h","port":9092,"jmx_port":9999,"timestamp":"1"}`,
		`{"listener_security_protocol_map":{"A":"SSL"},"endpoints":["A://[::1]:1"],"rack":"r","jmx_port":-1,"port":-1,"host":null,"version":4,"timestamp":"3"}`,
		`{"version":2,"jmx_port":1,"endpoints":["x://:0"]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodeBrokerRegistration(1, data)
		if err != nil || b.Version < 4 || b.Version > 5 {
			return
		}
		back, err := DecodeBrokerRegistration(1, b.Encode())
		if err != nil {
			t.Fatalf("re-decode of %s: %v", b.Encode(), err)
		}
		if len(back.Endpoints) != len(b.Endpoints) {
			t.Fatalf("round trip: %+v vs %+v", back, b)
		}
	})
}

func FuzzDecodeEntityConfig(f *testing.F) {
	for _, s := range []string{`{"version":1,"config":{"a":"1","b":"\u0001"}}`, `{"version":1,"config":{}}`, `x`, `{"config":{"a":1}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodeEntityConfig(data)
		if err != nil {
			return
		}
		back, err := DecodeEntityConfig(EncodeEntityConfig(p))
		if err != nil || !reflect.DeepEqual(back.Map(), p.Map()) || !reflect.DeepEqual(back.Keys(), p.Keys()) {
			t.Fatalf("round trip of %s: %v %v", EncodeEntityConfig(p), back.Map(), err)
		}
	})
}

func FuzzDecodePartitionState(f *testing.F) {
	f.Add([]byte(`{"controller_epoch":1,"leader":0,"version":1,"leader_epoch":0,"isr":[0]}`))
	f.Add([]byte(`{"leader":-1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodePartitionState(data, 0)
		if err != nil {
			return
		}
		back, err := DecodePartitionState(s.Encode(), 0)
		if err != nil || back.Leader != s.Leader || back.LeaderEpoch != s.LeaderEpoch || len(back.ISR) != len(s.ISR) {
			t.Fatalf("round trip: %+v %v", back, err)
		}
	})
}

func FuzzParseReplicaAssignment(f *testing.F) {
	for _, s := range []string{"0:1,1:2", "", ",", "1:1", "0:1,1", "٣:1", " 0 : 1 ", "+1:-2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseReplicaAssignment(s)
		if err != nil {
			if _, ok := KafkaMessage(err); !ok {
				t.Fatalf("error without a Kafka message: %v", err)
			}
			return
		}
		for p, r := range a {
			if len(r) != len(a[0]) || len(scalaDuplicates(r)) != 0 || p < 0 || int(p) >= len(a) {
				t.Fatalf("%q: bad result %v", s, a)
			}
		}
	})
}

func FuzzParseUuid(f *testing.F) {
	for _, s := range []string{"AAAAAAAAAAEAAAAAAAAAAg", "AAAAAAAAAAAAAAAAAAAAAA==", "A", "", "!!", "_-_-_-_-_-_-_-_-_-_-_w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUuid(s)
		if err != nil {
			return
		}
		if back, err := ParseUuid(u.String()); err != nil || back != u {
			t.Fatalf("round trip %q -> %s: %v", s, u, err)
		}
	})
}
