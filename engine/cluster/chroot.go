package cluster

import (
	"fmt"
	"strings"

	"github.com/go-zookeeper/zk"
)

// Chroot returns a ZK that resolves every path under root, as the chroot
// suffix of a ZooKeeper connect string ("host:2181/kafka") does in the Java
// client; go-zookeeper has no chroot of its own. Paths returned by Create
// and Multi are given relative to root. A root of "" or "/" returns z.
func Chroot(z ZK, root string) ZK {
	root = strings.TrimSuffix(root, "/")
	if root == "" {
		return z
	}
	return &chrootZK{z: z, root: root}
}

// SplitConnectString splits a ZooKeeper connect string into its servers and
// its chroot ("" if none): "h1:2181,h2:2181/kafka" gives [h1:2181 h2:2181]
// and "/kafka".
func SplitConnectString(connect string) (servers []string, chroot string) {
	if i := strings.IndexByte(connect, '/'); i >= 0 {
		connect, chroot = connect[:i], connect[i:]
		if chroot == "/" {
			chroot = ""
		}
	}
	for _, s := range strings.Split(connect, ",") {
		if s = strings.TrimSpace(s); s != "" {
			servers = append(servers, s)
		}
	}
	return servers, chroot
}

type chrootZK struct {
	z    ZK
	root string
}

func (c *chrootZK) in(path string) string {
	if path == "/" {
		return c.root
	}
	return c.root + path
}

func (c *chrootZK) out(path string) string {
	if path == c.root {
		return "/"
	}
	return strings.TrimPrefix(path, c.root)
}

func (c *chrootZK) Get(path string) ([]byte, *zk.Stat, error) { return c.z.Get(c.in(path)) }

func (c *chrootZK) Set(path string, data []byte, version int32) (*zk.Stat, error) {
	return c.z.Set(c.in(path), data, version)
}

func (c *chrootZK) Create(path string, data []byte, flags int32, acl []zk.ACL) (string, error) {
	p, err := c.z.Create(c.in(path), data, flags, acl)
	if err != nil {
		return "", err
	}
	return c.out(p), nil
}

func (c *chrootZK) Children(path string) ([]string, *zk.Stat, error) { return c.z.Children(c.in(path)) }

func (c *chrootZK) Exists(path string) (bool, *zk.Stat, error) { return c.z.Exists(c.in(path)) }

func (c *chrootZK) Delete(path string, version int32) error { return c.z.Delete(c.in(path), version) }

func (c *chrootZK) Multi(ops ...interface{}) ([]zk.MultiResponse, error) {
	rewritten := make([]interface{}, len(ops))
	for i, op := range ops {
		switch o := op.(type) {
		case *zk.CreateRequest:
			r := *o
			r.Path = c.in(o.Path)
			rewritten[i] = &r
		case *zk.SetDataRequest:
			r := *o
			r.Path = c.in(o.Path)
			rewritten[i] = &r
		case *zk.DeleteRequest:
			r := *o
			r.Path = c.in(o.Path)
			rewritten[i] = &r
		case *zk.CheckVersionRequest:
			r := *o
			r.Path = c.in(o.Path)
			rewritten[i] = &r
		default:
			return nil, fmt.Errorf("cluster: multi: unknown operation type %T", op)
		}
	}
	res, err := c.z.Multi(rewritten...)
	for i := range res {
		if res[i].String != "" {
			res[i].String = c.out(res[i].String)
		}
	}
	return res, err
}
