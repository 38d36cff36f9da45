import { springDurationSeconds } from './duration';
import { ContainerRef, Workload } from './workload';
import { RegistryFacts } from '../../registry/facts';
import { basename } from '../../shell/tokenize';
import { AuditAnnotations } from '../annotations';

/*
 * What kind of application a container runs: a JVM / Spring Boot application, and which service registry
 * it uses. Rules that are about Java or registry-backed services use these and stay silent on databases,
 * caches, proxies and the registries' own servers.
 */

/** Images of infrastructure (databases, caches, proxies, registries' servers): never judged as applications. */
const INFRA_IMAGE = new RegExp('(^|/)(postgres|postgis|mysql|mariadb|redis|valkey|mongo|mongodb|nginx|openresty|httpd|haproxy|traefik|envoy|'
  + 'proxyv2|istio|linkerd|busybox|alpine|memcached|rabbitmq|elasticsearch|opensearch|kibana|logstash|fluentd|fluent-bit|kafka|zookeeper|'
  + 'etcd|consul|vault|nacos-server|minio|prometheus|grafana|jaeger|zipkin|cassandra|clickhouse|influxdb|sentinel-dashboard|pause)([:@/]|$)', 'i');
const NACOS_SERVER_IMAGE = /(^|\/)nacos\/nacos-server|(^|\/)nacos([:@]|$)/i;

const JVM_IMAGE = /(openjdk|java|jdk|jre|temurin|corretto|zulu|liberica|graalvm|semeru|dragonwell|adoptopenjdk|jboss|wildfly|tomcat|jetty|spring)/i;
const JVM_ENV = new Set(['JAVA_OPTS', 'JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS', '_JAVA_OPTIONS', 'JAVA_HOME', 'JVM_OPTS', 'JVM_OPTIONS', 'CATALINA_OPTS']);

/** Whether an image is infrastructure (database, cache, proxy, registry server …). @internal */
export function isInfraImage(image: string): boolean {
  const name = image.replace(/^[^/]+\.[^/]+\//, ''); // drop a registry host
  return INFRA_IMAGE.test(name) || NACOS_SERVER_IMAGE.test(name);
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
  const jvmEnv = [...c.env.keys()].find(n => JVM_ENV.has(n));
  if (jvmEnv) return `env ${jvmEnv}`;
  const spring = c.props.keys().find(k => /^(SPRING_|SERVER_SHUTDOWN|MANAGEMENT_|EUREKA_)/.test(k));
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

/** @internal */
export type RegistryName = 'nacos' | 'consul' | 'eureka' | 'mse';

/** @internal */
export interface RegistryUse {
  readonly name: RegistryName;
  /** Why we think so. */
  readonly evidence: string;
}

const LABEL: { [k in RegistryName]: string } = { nacos: 'Nacos', consul: 'Consul', eureka: 'Eureka', mse: 'Alibaba MSE' };

/** @internal */
export function registryLabel(r: RegistryName): string {
  return LABEL[r];
}

/**
 * The service registry the container registers with, when the manifest shows it: connection settings
 * (`spring.cloud.nacos.discovery.server-addr`, `spring.cloud.nacos.server-addr`, `spring.cloud.consul.host`,
 * `eureka.client.service-url.*`, other discovery keys), a take-out URL in its preStop, or an MSE agent
 * annotation. Settings that only describe metadata/tags (present in images that support several
 * registries) count only when a Spring profile or the image name names the same registry.
 * Nacos config-only settings (`spring.cloud.nacos.config.*`) are not discovery.
 * @internal
 */
export function registryOf(w: Workload, c: ContainerRef, preStopText?: string): RegistryUse | undefined {
  if (c.init || isInfraImage(c.image)) return undefined;
  const strong: RegistryUse[] = [];
  const weak: RegistryUse[] = [];
  const disabled = new Set<RegistryName>();
  const isFalse = (key: string) => c.props.get(key)?.value.trim().toLowerCase() === 'false';
  if (isFalse('spring.cloud.nacos.discovery.enabled')) disabled.add('nacos');
  if (isFalse('spring.cloud.consul.enabled') || isFalse('spring.cloud.consul.discovery.enabled')) disabled.add('consul');
  if (isFalse('eureka.client.enabled')) disabled.add('eureka');

  for (const { key, source } of c.props.withPrefix('spring.cloud.nacos.')) {
    if (/^SPRING_CLOUD_NACOS_CONFIG/.test(key)) continue;
    const isWeak = /METADATA/.test(key);
    if (key === 'SPRING_CLOUD_NACOS_SERVERADDR' || key.startsWith('SPRING_CLOUD_NACOS_DISCOVERY')) {
      (isWeak ? weak : strong).push({ name: 'nacos', evidence: source.where });
    }
  }
  for (const { key, source } of c.props.withPrefix('spring.cloud.consul.')) {
    if (/^SPRING_CLOUD_CONSUL_CONFIG/.test(key)) continue;
    const isWeak = /METADATA|TAGS/.test(key);
    (isWeak ? weak : strong).push({ name: 'consul', evidence: source.where });
  }
  for (const { key, source } of [...c.props.withPrefix('eureka.client.'), ...c.props.withPrefix('eureka.instance.')]) {
    const isWeak = /METADATAMAP/.test(key);
    (isWeak ? weak : strong).push({ name: 'eureka', evidence: source.where });
  }
  if (preStopText) {
    if (/\/nacos\/v[12]\/ns\/instance/.test(preStopText)) strong.push({ name: 'nacos', evidence: 'its preStop calls the Nacos instance API' });
    if (/\/v1\/agent\/service\//.test(preStopText)) strong.push({ name: 'consul', evidence: 'its preStop calls the Consul agent API' });
    if (/\/eureka\/(v2\/)?apps\//.test(preStopText)) strong.push({ name: 'eureka', evidence: 'its preStop calls the Eureka REST API' });
  }
  const mse = w.podMeta?.annotations?.msePilotAutoEnable ?? w.podMeta?.labels?.msePilotAutoEnable;
  if (typeof mse === 'string' && mse.toLowerCase() === 'on') {
    strong.push({ name: 'mse', evidence: 'pod annotation msePilotAutoEnable: "on" (MSE agent)' });
  }
  const pick = (list: RegistryUse[]): RegistryUse | undefined => {
    const names = [...new Set(list.map(r => r.name))].filter(n => !disabled.has(n));
    if (names.length === 1) return list.find(r => r.name === names[0]);
    if (names.length === 2 && names.includes('mse')) return list.find(r => r.name !== 'mse');
    return undefined;
  };
  const s = pick(strong);
  if (s) return s;
  if (strong.length > 0) return undefined; // several registries: do not guess
  const hints = `${c.props.get('spring.profiles.active')?.value ?? ''} ${c.image}`.toLowerCase();
  const hinted = weak.filter(r => hints.includes(r.name));
  const h = pick(hinted);
  return h ? { name: h.name, evidence: `${h.evidence}, with ${hints.includes(h.name) ? `'${h.name}' in its Spring profiles or image` : ''}`.replace(/, with $/, '') } : undefined;
}

/** @internal */
export interface Propagation {
  /** Seconds from the take-out until the last consumer stops calling. */
  readonly seconds: number;
  /** The arithmetic, with sources, for messages. */
  readonly text: string;
}

const s = (d: { toSeconds(): number }) => d.toSeconds();

/**
 * How long the news of a take-out needs to reach the last consumer, from the registry's published defaults
 * (`RegistryFacts`) and the consumer-side settings the manifest shows (Ribbon, Spring Cloud LoadBalancer
 * cache TTL / enabled, Eureka fetch interval). Undefined for registries without published numbers (MSE).
 * @internal
 */
export function propagationOf(r: RegistryUse, c: ContainerRef, w?: Workload): Propagation | undefined {
  const consumer = consumerCache(c, w);
  const parts: string[] = [];
  let seconds = 0;
  switch (r.name) {
    case 'nacos':
      seconds += s(RegistryFacts.NACOS_2_PUSH);
      parts.push(`Nacos 2.x push ${s(RegistryFacts.NACOS_2_PUSH)} s (1.x polls: up to ${s(RegistryFacts.NACOS_1_PUSH_OR_POLL)} s)`);
      break;
    case 'consul':
      seconds += s(RegistryFacts.CONSUL_CATALOG_WATCH);
      parts.push(`Consul catalog watch ${s(RegistryFacts.CONSUL_CATALOG_WATCH)} s`);
      break;
    case 'eureka': {
      const fetch = c.props.get('eureka.client.registry-fetch-interval-seconds');
      const fetchSeconds = fetch && /^[0-9]+$/.test(fetch.value.trim()) ? Number(fetch.value.trim()) : s(RegistryFacts.EUREKA_CLIENT_FETCH);
      seconds += s(RegistryFacts.EUREKA_SERVER_RESPONSE_CACHE) + fetchSeconds;
      parts.push(`Eureka server response cache ${s(RegistryFacts.EUREKA_SERVER_RESPONSE_CACHE)} s`,
        `client fetch ${fetchSeconds} s${fetch ? ` (${fetch.where})` : ''}`);
      break;
    }
    default:
      return undefined;
  }
  seconds += consumer.seconds;
  parts.push(consumer.text);
  return { seconds, text: `${parts.join(' + ')} = ${seconds} s` };
}

function consumerCache(c: ContainerRef, w?: Workload): { seconds: number; text: string } {
  const key = AuditAnnotations.CONSUMER_CACHE_SECONDS;
  const declared = w?.podMeta?.annotations?.[key] ?? w?.object?.metadata?.annotations?.[key];
  const declaredSeconds = typeof declared === 'string' || typeof declared === 'number' ? springDurationSeconds(String(declared), 1) : undefined;
  if (declaredSeconds !== undefined) {
    return { seconds: declaredSeconds, text: `consumer cache ${declaredSeconds} s (annotation ${AuditAnnotations.CONSUMER_CACHE_SECONDS})` };
  }
  const ribbon = c.props.keys().find(k => /(^|_)RIBBON_/.test(k) || k.startsWith('RIBBON'));
  if (ribbon) {
    return { seconds: s(RegistryFacts.RIBBON_SERVER_LIST_REFRESH), text: `Ribbon server-list refresh ${s(RegistryFacts.RIBBON_SERVER_LIST_REFRESH)} s` };
  }
  const enabled = c.props.get('spring.cloud.loadbalancer.cache.enabled');
  if (enabled && enabled.value.trim().toLowerCase() === 'false') {
    return { seconds: 0, text: `no load-balancer cache (${enabled.where})` };
  }
  const ttl = c.props.get('spring.cloud.loadbalancer.cache.ttl');
  const ttlSeconds = ttl ? springDurationSeconds(ttl.value) : undefined;
  if (ttl && ttlSeconds !== undefined) {
    return { seconds: ttlSeconds, text: `load-balancer cache TTL ${ttlSeconds} s (${ttl.where})` };
  }
  return {
    seconds: s(RegistryFacts.SPRING_CLOUD_LOADBALANCER_CACHE_TTL),
    text: `Spring Cloud LoadBalancer cache TTL ${s(RegistryFacts.SPRING_CLOUD_LOADBALANCER_CACHE_TTL)} s (default)`,
  };
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
