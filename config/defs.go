package config

// Short constructors for registry tables. A nil setter leaves the key
// reachable only through Settings.Get.

func kInt[T any](name, def, doc string, set func(*T, int), vs ...Validator) Def[T] {
	d := Def[T]{Name: name, Type: TypeInt, Default: def, Doc: doc, Validators: vs}
	if set != nil {
		d.Set = func(c *T, v Value) { set(c, v.Int()) }
	}
	return d
}

func kShort[T any](name, def, doc string, set func(*T, int), vs ...Validator) Def[T] {
	d := kInt(name, def, doc, set, vs...)
	d.Type = TypeShort
	return d
}

func kLong[T any](name, def, doc string, set func(*T, int64), vs ...Validator) Def[T] {
	d := Def[T]{Name: name, Type: TypeLong, Default: def, Doc: doc, Validators: vs}
	if set != nil {
		d.Set = func(c *T, v Value) { set(c, v.Int64()) }
	}
	return d
}

func kDouble[T any](name, def, doc string, set func(*T, float64), vs ...Validator) Def[T] {
	d := Def[T]{Name: name, Type: TypeDouble, Default: def, Doc: doc, Validators: vs}
	if set != nil {
		d.Set = func(c *T, v Value) { set(c, v.Float64()) }
	}
	return d
}

func kBool[T any](name, def, doc string, set func(*T, bool), vs ...Validator) Def[T] {
	d := Def[T]{Name: name, Type: TypeBoolean, Default: def, Doc: doc, Validators: vs}
	if set != nil {
		d.Set = func(c *T, v Value) { set(c, v.Bool()) }
	}
	return d
}

func kString[T any](name, def, doc string, set func(*T, string), vs ...Validator) Def[T] {
	d := Def[T]{Name: name, Type: TypeString, Default: def, Doc: doc, Validators: vs}
	if set != nil {
		d.Set = func(c *T, v Value) { set(c, v.Text()) }
	}
	return d
}

func kPassword[T any](name, doc string) Def[T] {
	return Def[T]{Name: name, Type: TypePassword, NoDefault: true, Doc: doc}
}

func kClass[T any](name, def, doc string, set func(*T, string)) Def[T] {
	d := kString(name, def, doc, set)
	d.Type = TypeClass
	return d
}

func kList[T any](name, def, doc string, set func(*T, []string), vs ...Validator) Def[T] {
	d := Def[T]{Name: name, Type: TypeList, Default: def, Doc: doc, Validators: vs}
	if set != nil {
		d.Set = func(c *T, v Value) { set(c, v.List()) }
	}
	return d
}

// null marks a definition as having Kafka's null default.
func null[T any](d Def[T]) Def[T] {
	d.NoDefault = true
	d.Default = ""
	return d
}

// sslClientDefs are the client-side TLS keys Kafka 2.8 clients accept
// (SslConfigs.addClientSslSupport). TLS is not served yet; the keys are
// known so that they do not warn, and their values are checked for type.
// Defaults are the ones a Java 11+ runtime shows.
func sslClientDefs[T any]() []Def[T] {
	return []Def[T]{
		kString[T]("ssl.protocol", "TLSv1.3", "TLS protocol used to build the SSL context.", nil),
		null(kString[T]("ssl.provider", "", "Security provider for TLS connections.", nil)),
		null(kList[T]("ssl.cipher.suites", "", "Cipher suites allowed for TLS.", nil)),
		kList[T]("ssl.enabled.protocols", "TLSv1.2,TLSv1.3", "TLS protocols enabled for connections.", nil),
		kString[T]("ssl.keystore.type", "JKS", "File format of the key store.", nil),
		null(kString[T]("ssl.keystore.location", "", "Path of the key store file.", nil)),
		kPassword[T]("ssl.keystore.password", "Password of the key store file."),
		kPassword[T]("ssl.key.password", "Password of the private key in the key store."),
		kPassword[T]("ssl.keystore.key", "Private key in PEM form."),
		kPassword[T]("ssl.keystore.certificate.chain", "Certificate chain in PEM form."),
		kPassword[T]("ssl.truststore.certificates", "Trusted certificates in PEM form."),
		kString[T]("ssl.truststore.type", "JKS", "File format of the trust store.", nil),
		null(kString[T]("ssl.truststore.location", "", "Path of the trust store file.", nil)),
		kPassword[T]("ssl.truststore.password", "Password of the trust store file."),
		kString[T]("ssl.keymanager.algorithm", "SunX509", "Key manager factory algorithm.", nil),
		kString[T]("ssl.trustmanager.algorithm", "PKIX", "Trust manager factory algorithm.", nil),
		kString[T]("ssl.endpoint.identification.algorithm", "https", "Algorithm used to check the server host name against its certificate.", nil),
		null(kString[T]("ssl.secure.random.implementation", "", "SecureRandom implementation for TLS.", nil)),
		null(kClass[T]("ssl.engine.factory.class", "", "Class that builds SSLEngine objects.", nil)),
	}
}

// saslClientDefs are the client-side SASL keys of Kafka 2.8
// (SaslConfigs.addClientSaslSupport). SASL is not served yet.
func saslClientDefs[T any]() []Def[T] {
	return []Def[T]{
		null(kString[T]("sasl.kerberos.service.name", "", "Kerberos principal name Kafka runs as.", nil)),
		kString[T]("sasl.kerberos.kinit.cmd", "/usr/bin/kinit", "Path of the kinit command.", nil),
		kDouble[T]("sasl.kerberos.ticket.renew.window.factor", "0.8", "Fraction of a ticket's lifetime after which it is renewed.", nil),
		kDouble[T]("sasl.kerberos.ticket.renew.jitter", "0.05", "Random jitter added to the renewal time.", nil),
		kLong[T]("sasl.kerberos.min.time.before.relogin", "60000", "Minimum time between relogin attempts, in ms.", nil),
		kDouble[T]("sasl.login.refresh.window.factor", "0.8", "Fraction of a credential's lifetime after which it is refreshed.", nil, Between(0.5, 1.0)),
		kDouble[T]("sasl.login.refresh.window.jitter", "0.05", "Random jitter added to the refresh time.", nil, Between(0.0, 0.25)),
		kShort[T]("sasl.login.refresh.min.period.seconds", "60", "Minimum wait between credential refreshes, in seconds.", nil, Between(0, 900)),
		kShort[T]("sasl.login.refresh.buffer.seconds", "300", "Time kept before credential expiry when refreshing, in seconds.", nil, Between(0, 3600)),
		kString[T]("sasl.mechanism", "GSSAPI", "SASL mechanism for client connections.", nil),
		kPassword[T]("sasl.jaas.config", "JAAS login context parameters."),
		null(kClass[T]("sasl.client.callback.handler.class", "", "SASL client callback handler class.", nil)),
		null(kClass[T]("sasl.login.callback.handler.class", "", "SASL login callback handler class.", nil)),
		null(kClass[T]("sasl.login.class", "", "Class implementing the SASL login.", nil)),
	}
}

// securityProtocols are the names of Kafka's SecurityProtocol enum.
func securityProtocols() []string {
	return []string{"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"}
}
