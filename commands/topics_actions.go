package commands

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/kafkago/kafka/config"
	"github.com/kafkago/kafka/engine/cluster"
)

// topicsService is the topic service main() builds: exactly one of the two.
type topicsService struct {
	admin *adminTopicService
	zk    *zkTopicService
}

func (s *topicsService) close() {
	if s.admin != nil {
		s.admin.close()
	}
	if s.zk != nil {
		s.zk.close()
	}
}

// topicsTimeoutsKey carries test overrides of kafka-topics' fixed timeouts
// in the context given to Main.
type topicsTimeoutsKey struct{}

// topicsTimeouts are the fixed timeouts of kafka-topics.
type topicsTimeouts struct {
	zkConnection time.Duration
}

func withTopicsTimeouts(ctx context.Context, t topicsTimeouts) context.Context {
	return context.WithValue(ctx, topicsTimeoutsKey{}, t)
}

// topicsZKFactoryKey carries, in tests, a function that stands in for the
// ZooKeeper connection (an in-memory cluster.MemZK).
type topicsZKFactoryKey struct{}

func withTopicsZK(ctx context.Context, newZK func(connect string) (cluster.ZK, error)) context.Context {
	return context.WithValue(ctx, topicsZKFactoryKey{}, newZK)
}

// newService is the part of TopicCommand.main before the try block: its
// failures are uncaught exceptions.
func (c *topicsCmd) newService() (*topicsService, *javaException) {
	p := c.p
	if p.has("zookeeper") {
		connect, err := p.str("zookeeper")
		if err != nil {
			return nil, asTopicsJavaException(err)
		}
		if f, ok := c.env.Ctx.Value(topicsZKFactoryKey{}).(func(string) (cluster.ZK, error)); ok {
			z, err := f(connect)
			if err != nil {
				return nil, asTopicsJavaException(err)
			}
			return &topicsService{zk: &zkTopicService{env: c.env, admin: cluster.NewAdminZk(z, false, nil)}}, nil
		}
		timeout := zkConnectionTimeout
		if t, ok := c.env.Ctx.Value(topicsTimeoutsKey{}).(topicsTimeouts); ok && t.zkConnection > 0 {
			timeout = t.zkConnection
		}
		conn, z, jerr := connectZooKeeper(c.env.Ctx, connect, timeout)
		if jerr != nil {
			return nil, jerr
		}
		return &topicsService{zk: &zkTopicService{env: c.env, admin: cluster.NewAdminZk(z, false, nil), conn: conn}}, nil
	}
	props := map[string]string{}
	if p.has("command-config") {
		path, err := p.str("command-config")
		if err != nil {
			return nil, asTopicsJavaException(err)
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, topicsFileException(path, err)
		}
		props, err = config.ParsePropertiesMap(f)
		f.Close()
		if err != nil {
			return nil, newJavaException(jIllegalArgument, "Malformed \\uxxxx encoding.")
		}
	}
	bootstrap, err := p.str("bootstrap-server")
	if err != nil {
		return nil, asTopicsJavaException(err)
	}
	admin, jerr := newAdminTopicService(c.env, props, bootstrap)
	if jerr != nil {
		return nil, jerr
	}
	return &topicsService{admin: admin}, nil
}

// create is TopicService.createTopic(opts): parse the options, warn about
// '.' and '_', create.
func (c *topicsCmd) create(svc *topicsService) error {
	tp, err := c.topicPartition()
	if err != nil {
		return err
	}
	if hasCollisionChars(tp.name) {
		fmt.Fprintln(c.env.Out, "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.")
	}
	if svc.zk != nil {
		return svc.zk.createTopic(tp)
	}
	return svc.admin.createTopic(tp)
}

// topicOpt is opts.topic: the --topic value, if given.
func (c *topicsCmd) topicOpt() (string, bool, error) {
	if !c.p.has("topic") {
		return "", false, nil
	}
	t, err := c.p.str("topic")
	return t, true, err
}

func (c *topicsCmd) list(svc *topicsService) error {
	topic, has, err := c.topicOpt()
	if err != nil {
		return err
	}
	var v *topicListView
	if svc.zk != nil {
		v, err = svc.zk.listView(topic, has, c.p.has("exclude-internal"))
	} else {
		v, err = svc.admin.listView(topic, has, c.p.has("exclude-internal"))
	}
	if err != nil {
		return err
	}
	v.print(c.env.Out)
	return nil
}

func (c *topicsCmd) filters() describeFilters {
	return describeFilters{
		underReplicated: c.p.has("under-replicated-partitions"),
		unavailable:     c.p.has("unavailable-partitions"),
		underMinIsr:     c.p.has("under-min-isr-partitions"),
		atMinIsr:        c.p.has("at-min-isr-partitions"),
		overrides:       c.p.has("topics-with-overrides"),
	}
}

func (c *topicsCmd) describe(svc *topicsService) error {
	topic, has, err := c.topicOpt()
	if err != nil {
		return err
	}
	f := c.filters()
	var v *describeView
	if svc.zk != nil {
		v, err = svc.zk.describeView(topic, has, c.p.has("if-exists"), c.p.has("exclude-internal"), f)
	} else {
		v, err = svc.admin.describeView(topic, has, c.p.has("if-exists"), c.p.has("exclude-internal"))
	}
	if err != nil {
		return err
	}
	return v.print(c.env.Out, f)
}

func (c *topicsCmd) alter(svc *topicsService) error {
	if svc.zk != nil {
		topic, _, err := c.topicOpt()
		if err != nil {
			return err
		}
		return svc.zk.alterTopic(c, topic, c.p.has("if-exists"), c.p.has("exclude-internal"))
	}
	tp, err := c.topicPartition()
	if err != nil {
		return err
	}
	topic, _, err := c.topicOpt()
	if err != nil {
		return err
	}
	return svc.admin.alterTopic(tp, topic, c.p.has("if-exists"), c.p.has("exclude-internal"))
}

func (c *topicsCmd) delete(svc *topicsService) error {
	topic, _, err := c.topicOpt()
	if err != nil {
		return err
	}
	if svc.zk != nil {
		return svc.zk.deleteTopic(topic, c.p.has("if-exists"), c.p.has("exclude-internal"))
	}
	return svc.admin.deleteTopic(topic, c.p.has("if-exists"), c.p.has("exclude-internal"))
}
