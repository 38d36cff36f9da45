import { springDurationSeconds } from './duration';
import { ContainerRef, Workload } from './workload';
import { AuditAnnotations } from '../../annotations';
import { remembered } from '../../memo';
import { REGISTRY_MODULES, registryModule } from '../../registry/all';
import { observedConsumerCache } from '../../registry/consumer-cache';
import { ObservedContainer, recognise, RegistryModule } from '../../registry/module';
import { basename } from '../../shell/tokenize';
import { springEnvName } from '../../spring/env';

/*
 * What kind of application a container runs: a JVM / Spring Boot application, and which service registry
 * it uses. Rules that are about Java or registry-backed services use these and stay silent on databases,
 * caches, proxies and the registries' own servers.
 */

/**
 * Images of infrastructure, by what it is: never judged as applications (even with a container port), because
 * the rules are about applications behind a registry or a Service, not about the servers they use. The
 * registries' own servers come from the registry modules (`serverImages`). An image matches by its last path
 * segment (the repository name without its owner or host), e.g. `bitnami/postgresql:16` or `redis@sha256:…`. The Cloud SQL
 * Auth proxy (`gcr.io/cloudsql-docker/gce-proxy`, `gcr.io/cloud-sql-connectors/cloud-sql-proxy`) is the sidecar of many
 * Java services on GKE: as a non-infrastructure container it would hide the application beside it from the container rules.
 */
const INFRA_KINDS: readonly { readonly what: string; readonly names: readonly string[]; readonly suffixes?: readonly string[] }[] = [
  {
    what: 'a database',
    names: ['postgres', 'postgresql', 'postgis', 'mysql', 'mariadb', 'mongo', 'mongodb', 'cassandra', 'clickhouse',
      'influxdb', 'cockroach', 'cockroachdb', 'tidb', 'neo4j', 'couchdb', 'couchbase', 'elasticsearch', 'opensearch', 'mssql-server', 'oracle-xe'],
    // a project's own database image (`weaveworksdemos/catalogue-db`, bank-of-anthos' `ledger-db`)
    suffixes: ['-db'],
  },
  { what: 'a cache', names: ['redis', 'valkey', 'memcached', 'keydb', 'dragonfly'] },
  {
    what: 'a message broker',
    names: ['rabbitmq', 'kafka', 'cp-kafka', 'zookeeper', 'cp-zookeeper', 'activemq', 'activemq-artemis', 'artemis', 'rocketmq',
      'rocketmq-server', 'rocketmq-namesrv', 'rocketmq-broker', 'pulsar', 'nats', 'emqx', 'mosquitto'],
  },
  {
    what: 'a proxy or mesh component',
    names: ['nginx', 'openresty', 'httpd', 'haproxy', 'traefik', 'envoy', 'proxyv2', 'istio', 'linkerd',
      'caddy', 'gce-proxy', 'cloud-sql-proxy'],
  },
  {
    what: 'a monitoring or logging server',
    names: ['prometheus', 'alertmanager', 'grafana', 'loki', 'promtail', 'jaeger', 'jaegertracing/all-in-one', 'jaeger-collector',
      'jaeger-agent', 'jaeger-query', 'zipkin', 'opentelemetry-collector', 'opentelemetry-collector-contrib', 'skywalking-oap-server',
      'kibana', 'logstash', 'filebeat', 'fluentd', 'fluent-bit', 'sentinel-dashboard'],
    // Prometheus exporters (`prom/mysqld-exporter`, `kbudde/rabbitmq-exporter`, `oliver006/redis_exporter`)
    suffixes: ['-exporter', '_exporter'],
  },
  { what: 'a storage or secrets server', names: ['etcd', 'vault', 'minio'] },
  { what: 'a distributed transaction coordinator', names: ['seata-server'] },
  { what: 'a base or utility image', names: ['busybox', 'alpine', 'pause'] },
];
const escaped = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A name as a path segment (also the owner: `mysql/mysql-server`), or a suffix of the repository name (the last segment). */
const infraNames = (names: readonly string[], suffixes: readonly string[]) => new RegExp(`(^|/)(${names.map(escaped).join('|')})([:@/]|$)`
  + (suffixes.length > 0 ? `|(^|/)[^/:@]+(${suffixes.map(escaped).join('|')})([:@]|$)` : ''), 'i');
const INFRA_IMAGE = INFRA_KINDS.map(k => ({ what: k.what, pattern: infraNames(k.names, k.suffixes ?? []) }));
/** Any of the names above: an image it does not match is none of the kinds (most images; one test instead of one per kind). */
const ANY_INFRA_NAME = infraNames(INFRA_KINDS.flatMap(k => k.names), INFRA_KINDS.flatMap(k => k.suffixes ?? []));
const REGISTRY_SERVER_IMAGES = REGISTRY_MODULES.flatMap(m => (m.audit.serverImages ?? []).map(pattern => ({ what: `a ${m.label} server`, pattern })));
/** Spring property prefixes (environment form) of the registry clients: they mark a Spring application. */
const REGISTRY_CLIENT_PREFIXES = REGISTRY_MODULES.flatMap(m => (m.audit.clientNamespace ? [springEnvName(m.audit.clientNamespace)] : []));

/**
 * JDK / JRE distributions, application servers and builders of JVM images, as words in an image name:
 * OpenJDK builds (Temurin, Corretto, Zulu, Liberica, GraalVM, Semeru, Dragonwell, SapMachine, Kona, BiSheng,
 * Microsoft's, Oracle's), the Spring Boot buildpacks (paketo), Jib's distroless Java bases, and Netflix Zuul (a JVM gateway).
 */
const JVM_IMAGE = new RegExp('(openjdk|java|jdk|jre|temurin|corretto|zulu|liberica|bellsoft|graalvm|semeru|dragonwell|adoptopenjdk|sapmachine|'
  + 'konajdk|tencentkona|bisheng|jboss|wildfly|tomcat|jetty|payara|spring|paketo|buildpacks|jib|zuul)', 'i');
/** Environment variables the JVM or its launch scripts read (compared in upper case, `-` and `.` read as `_`). */
const JVM_ENV = /^_?(JAVA|JVM|JDK|JRE)(_|$)|^(CATALINA_OPTS|JAVA_TOOL_OPTIONS|BPL_JVM_[A-Z_]+|BP_JVM_[A-Z_]+|JBP_CONFIG_[A-Z_]+)$/;

/** `java …` / `-jar` / a launcher class as a command in a script's text. */
const JAVA_IN_SCRIPT = /(^|[\s;&|(/])java(\s|$)|(^|\s)-jar\s|JarLauncher/m;

/** What infrastructure an image is (e.g. `a database`), or undefined for anything else. @internal */
export function infraKind(image: string): string | undefined {
  return infraKinds(image);
}

/* An audit asks about the same image once per container and rule: remembered per image (bounded). */
const infraKinds = remembered((image: string): string | undefined => {
  const name = image.replace(/^[^/]+\.[^/]+\//, ''); // drop a registry host
  return (ANY_INFRA_NAME.test(name) ? INFRA_IMAGE.find(k => k.pattern.test(name)) : undefined)?.what
    ?? REGISTRY_SERVER_IMAGES.find(k => k.pattern.test(name))?.what;
});

/** Whether an image is infrastructure (database, cache, broker, proxy, registry server …). @internal */
export function isInfraImage(image: string): boolean {
  return infraKind(image) !== undefined;
}

/**
 * Why we think the container runs a JVM / Spring Boot application, or undefined.
 * @internal
 */
export function jvmEvidence(c: ContainerRef): string | undefined {
  if (c.init || isInfraImage(c.image)) return undefined;
  const argv = c.argv ?? [];
  const javaWord = argv.find(a => /(^|[\s/])java(\s|$)/.test(a) || /(^|\s)-jar(\s|$)/.test(a) || /\.jar(\s|$)/.test(a) || /JarLauncher/.test(a));
  if (javaWord !== undefined) return `its command runs java (${JSON.stringify(javaWord.length > 60 ? javaWord.slice(0, 57) + '…' : javaWord)})`;
  // a script the command runs, mounted from a ConfigMap of the input
  for (const word of argv) {
    const script = c.scripts.get(word);
    if (script && JAVA_IN_SCRIPT.test(script.text)) return `its command runs ${word} (${script.where}), which runs java`;
  }
  const jvmEnv = [...c.env.keys()].find(n => JVM_ENV.test(n.toUpperCase().replace(/[-.]/g, '_')));
  if (jvmEnv) return `env ${jvmEnv}`;
  const spring = c.props.keys().find(k => /^(SPRING_|SERVER_SHUTDOWN|MANAGEMENT_)/.test(k) || REGISTRY_CLIENT_PREFIXES.some(p => k.startsWith(p)));
  if (spring) {
    const src = c.props.withPrefix(spring)[0]?.source;
    return src ? src.where : `Spring property ${spring}`;
  }
  const imageName = c.image.split('/').pop() ?? '';
  if (JVM_IMAGE.test(imageName) || JVM_IMAGE.test(c.image.split('/').slice(0, -1).join('/'))) return `image ${c.image}`;
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const p = c.c[probe]?.httpGet?.path;
    if (typeof p === 'string' && /\/actuator(\/|$)/.test(p)) return `${probe} on Spring Boot's actuator (${p})`;
  }
  return undefined;
}

/** The id of a registry module (src/registry/all.ts), e.g. `nacos`. @internal */
export type RegistryName = string;

/** @internal */
export interface RegistryUse {
  readonly name: RegistryName;
  /** Why we think so. */
  readonly evidence: string;
  /** The registry module that recognised it. */
  readonly module: RegistryModule;
}

/** The registry's label for messages, e.g. `Nacos`. @internal */
export function registryLabel(r: RegistryName): string {
  return registryModule(r)?.label ?? r;
}

/**
 * The service registry the container registers with, when the manifest shows it, as the registry modules
 * recognise it (src/registry/all.ts: connection settings, take-out APIs in its preStop, agent annotations).
 * Settings that only describe metadata/tags (present in images that support several registries) count only
 * when a Spring profile or the image name names the same registry. One registry, or one next to a registry
 * that yields to others (an agent on top of a client): that one; several: we do not guess.
 * @internal
 */
export function registryOf(w: Workload, c: ContainerRef, preStopText?: string): RegistryUse | undefined {
  if (c.init || isInfraImage(c.image)) return undefined;
  const observed: ObservedContainer = { props: c.props, preStopText, podAnnotations: w.podMeta?.annotations, podLabels: w.podMeta?.labels };
  const strong: RegistryUse[] = [];
  const weak: RegistryUse[] = [];
  const disabled = new Set<RegistryName>();
  for (const m of REGISTRY_MODULES) {
    const found = recognise(m, observed);
    if (found.disabled) disabled.add(m.id);
    for (const evidence of found.strong) strong.push({ name: m.id, evidence, module: m });
    for (const evidence of found.weak) weak.push({ name: m.id, evidence, module: m });
  }
  const pick = (list: RegistryUse[]): RegistryUse | undefined => {
    const names = [...new Set(list.map(r => r.name))].filter(n => !disabled.has(n));
    if (names.length === 1) return list.find(r => r.name === names[0]);
    const others = names.filter(n => !registryModule(n)?.audit.recognition?.yieldsToOthers);
    if (names.length === 2 && others.length === 1) return list.find(r => r.name === others[0]);
    return undefined;
  };
  const s = pick(strong);
  if (s) return s;
  if (strong.length > 0) return undefined; // several registries: do not guess
  const hints = `${c.props.get('spring.profiles.active')?.value ?? ''} ${c.image}`.toLowerCase();
  const hintOf = (r: RegistryUse) => r.module.audit.recognition?.hint;
  const hinted = weak.filter(r => hintOf(r) !== undefined && hints.includes(hintOf(r)!));
  const h = pick(hinted);
  return h ? { ...h, evidence: `${h.evidence}, with '${hintOf(h)}' in its Spring profiles or image` } : undefined;
}

/** @internal */
export interface ObservedPropagation {
  /** Seconds from the take-out until the last consumer stops calling. */
  readonly seconds: number;
  /** The arithmetic, with sources, for messages. */
  readonly text: string;
}

/**
 * How long the news of a take-out needs to reach the last consumer: the registry module's terms (its published
 * defaults and the registry settings the manifest shows) plus the consumer cache the manifest implies (the
 * annotation, Ribbon, Spring Cloud LoadBalancer cache TTL / enabled). Undefined for registries without
 * published numbers.
 * @internal
 */
export function propagationOf(r: RegistryUse, c: ContainerRef, w?: Workload): ObservedPropagation | undefined {
  const terms = r.module.audit.propagation?.(c.props);
  if (terms === undefined) return undefined;
  const key = AuditAnnotations.CONSUMER_CACHE_SECONDS;
  const declared = w?.podMeta?.annotations?.[key] ?? w?.object?.metadata?.annotations?.[key];
  const consumer = observedConsumerCache(c.props, declared === undefined ? undefined : { value: declared, annotation: key });
  const seconds = terms.seconds + consumer.seconds;
  return { seconds, text: `${[...terms.parts, consumer.text].join(' + ')} = ${seconds} s` };
}

/**
 * Spring's shutdown phase: `spring.lifecycle.timeout-per-shutdown-phase` when set, 30 s (Spring Boot's
 * default) when `server.shutdown=graceful`, undefined when the manifest shows neither.
 * @internal
 */
export function shutdownPhase(c: ContainerRef): { seconds: number; text: string; path: string } | undefined {
  const t = c.props.get('spring.lifecycle.timeout-per-shutdown-phase');
  if (t) {
    const sec = springDurationSeconds(t.value);
    if (sec !== undefined) return { seconds: sec, text: `${t.where} (${sec} s)`, path: t.path };
  }
  const mode = c.props.get('server.shutdown');
  if (mode && mode.value.trim().toLowerCase() === 'graceful') {
    return { seconds: SPRING_DEFAULT_SHUTDOWN_PHASE_SECONDS, text: `${mode.where} with Spring Boot's default timeout-per-shutdown-phase of ${SPRING_DEFAULT_SHUTDOWN_PHASE_SECONDS} s`, path: mode.path };
  }
  return undefined;
}

/**
 * Spring Boot's default `spring.lifecycle.timeout-per-shutdown-phase`.
 * @see https://docs.spring.io/spring-boot/appendix/application-properties/index.html#application-properties.core.spring.lifecycle.timeout-per-shutdown-phase
 */
const SPRING_DEFAULT_SHUTDOWN_PHASE_SECONDS = 30;

/** Whether a command word runs a script file (not a program we know). @internal */
export function looksLikeScript(word: string): boolean {
  return /\.(sh|bash|py|pl|rb)$/.test(word) || (/\//.test(word) && !KNOWN_BINARIES.has(basename(word)));
}

const KNOWN_BINARIES = new Set(['sleep', 'curl', 'wget', 'sh', 'bash', 'dash', 'ash', 'busybox', 'timeout', 'kill', 'echo', 'java', 'nginx',
  'true', 'false', 'env', 'tini', 'dumb-init', 'jcmd', 'nc', 'test', 'printf', 'cat', 'date']);
