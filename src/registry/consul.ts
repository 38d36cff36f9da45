import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  actuatorTakeOut, checkHostPort, checkName, checkSecret, consumerPath, HOST_IP_VAR, POD_NAME_VAR, queryString, readOptions,
  RegistryBinding, RegistryContext, RegistryOptions, TakeOutPlan, readProps,
} from './adapter';
import { factRef, RegistryFacts } from './facts';
import { ConsumerSetting, ObservedHttpCheck, ObservedProperties, RegistryModule } from './module';
import { invalidProp, show } from '../errors';
import { Finding, FindingSeverity } from '../finding';
import { ceilSeconds, formatMillis, readMillis } from '../shutdown/seconds';
import { ManagedVariable, springEnvName } from '../spring/env';

/**
 * Consumers must skip critical instances: maintenance mode makes the instance critical, not gone, and
 * `query-passing` defaults to false (ConsulDiscoveryProperties.java L184).
 * @see https://github.com/spring-cloud/spring-cloud-consul/blob/v5.0.2/spring-cloud-consul-discovery/src/main/java/org/springframework/cloud/consul/discovery/ConsulDiscoveryProperties.java#L184
 */
const QUERY_PASSING: ConsumerSetting = {
  property: 'spring.cloud.consul.discovery.query-passing',
  value: 'true',
  default: { value: 'false', source: 'Spring Cloud Consul ConsulDiscoveryProperties.java L184' },
  why: 'maintenance mode (the take-out) makes the instance critical, not gone, and Spring Cloud Consul defaults to false '
    + '(ConsulDiscoveryProperties.java L184): consumers without it keep calling the instance for the whole wait',
};

/**
 * The TTL heartbeat re-registers the instance when Consul no longer knows it (e.g. it was deregistered after
 * being critical for the critical timeout): default false (HeartbeatProperties.java L54, Spring Cloud Consul ≥ 3.0.2).
 * @see https://github.com/spring-cloud/spring-cloud-consul/blob/v5.0.2/spring-cloud-consul-discovery/src/main/java/org/springframework/cloud/consul/discovery/HeartbeatProperties.java#L54
 */
const REREGISTER = 'spring.cloud.consul.discovery.heartbeat.reregister-service-on-failure';

/**
 * The actuator health group whose status the TTL heartbeat reports (HeartbeatProperties.java L61–67, Spring Cloud
 * Consul ≥ 4.0.0); default: overall health, so a database outage makes the instance critical and, after the
 * critical timeout, removes it. `readiness` is Spring Boot's readiness group (readiness state only).
 * @see https://github.com/spring-cloud/spring-cloud-consul/blob/v5.0.2/spring-cloud-consul-discovery/src/main/java/org/springframework/cloud/consul/discovery/HeartbeatProperties.java#L61-L67
 */
const HEALTH_GROUP = 'spring.cloud.consul.discovery.heartbeat.actuator-health-group';

/** Consul agent's HTTP port. @see https://developer.hashicorp.com/consul/docs/install/ports */
const CONSUL_HTTP_PORT = 8500;

/**
 * Which Consul agent the application registers with and the preStop hook talks to. They must be the same
 * agent: a registration lives in the agent that made it.
 */
export class ConsulAgent {
  /**
   * The agent on the pod's node (a DaemonSet with hostPort), reached at `status.hostIP`.
   *
   * @param port the agent's HTTP port
   * @default port 8500
   */
  public static nodeLocal(port?: number): ConsulAgent {
    const p = port ?? CONSUL_HTTP_PORT;
    if (!Number.isInteger(p) || p < 1 || p > 65535) {
      throw invalidProp('registry.agentMaintenance.agent', show(p), 'is not a TCP port', 'give the agent\'s HTTP port, e.g. 8500');
    }
    return new ConsulAgent(`$(${HOST_IP_VAR})`, String(p), `the node-local agent at status.hostIP:${p}`);
  }

  /**
   * An agent behind a fixed address, e.g. a Service in front of one agent. Not a headless Service over
   * several agents: register and deregister would land on different agents (stale entries).
   */
  public static address(hostPort: string): ConsulAgent {
    const hp = checkHostPort('registry.agentMaintenance.agent', hostPort, 'consul-agent.consul.svc:8500');
    const [host, port] = hp.split(':');
    return new ConsulAgent(host, port, `the agent at ${hp}`);
  }

  private constructor(
    /** @internal */ public readonly _host: string,
    /** @internal */ public readonly _port: string,
    /** @internal */ public readonly _description: string,
  ) {}
}

/**
 * How Consul checks the instance. The same actuator port and path on every service let Consul's HTTP check
 * of a dead instance pass once another service's pod reuses its IP (field report 001).
 */
export class ConsulHealthCheck {
  /**
   * TTL heartbeat from the application (`spring.cloud.consul.discovery.heartbeat.enabled`): only the
   * instance itself can keep it passing, so a reused IP cannot answer for it.
   */
  public static ttlHeartbeat(): ConsulHealthCheck {
    return new ConsulHealthCheck(undefined);
  }

  /**
   * An HTTP check on a path only this service serves (e.g. `/orders/actuator/health`). Generic actuator
   * paths are refused.
   */
  public static httpPath(path: string): ConsulHealthCheck {
    if (typeof path !== 'string' || !path.startsWith('/') || /[\s$`"'\\]/.test(path)) {
      throw invalidProp('registry.healthCheck', show(path), 'must be an absolute URL path', 'give a path only this service serves, e.g. "/orders/actuator/health"');
    }
    if (/^\/(actuator\/)?health(\/|$)/.test(path) || path === '/' || path === '/actuator/info') {
      throw invalidProp('registry.healthCheck', show(path),
        'is served by every Spring Boot service: after a pod IP is reused by another service, Consul\'s check of the dead instance passes (docs/registries.md#consul)',
        'use ConsulHealthCheck.ttlHeartbeat() (the default), or a path unique to this service, e.g. a management base path "/orders/actuator/health"');
    }
    return new ConsulHealthCheck(path);
  }

  private constructor(/** @internal */ public readonly _path: string | undefined) {}
}

/**
 * Take the instance out through the Consul agent's maintenance mode from the preStop hook.
 */
export interface ConsulAgentMaintenanceProps {
  /**
   * Service name (`spring.application.name`). The instance id is derived from it and the pod name, and
   * set for the application too, so both sides name the same registration.
   */
  readonly serviceName: string;

  /**
   * The agent the application registers with and the hook calls.
   *
   * @default ConsulAgent.nodeLocal() (status.hostIP:8500)
   */
  readonly agent?: ConsulAgent;

  /**
   * ACL token, from a Secret (sent as `X-Consul-Token`; the application gets it as `spring.cloud.consul.discovery.acl-token`).
   *
   * @default - no token
   */
  readonly token?: kplus.SecretValue;
}

/**
 * Props of `Registry.consul()`.
 */
export interface ConsulRegistryProps extends RegistryOptions {
  /**
   * Take the instance out with agent maintenance mode from the preStop hook.
   *
   * @default - in-process: `POST /actuator/serviceregistry {"status":"OUT_OF_SERVICE"}` (Spring Cloud Consul enables maintenance mode)
   */
  readonly agentMaintenance?: ConsulAgentMaintenanceProps;

  /**
   * How Consul checks the instance.
   *
   * @default ConsulHealthCheck.ttlHeartbeat()
   */
  readonly healthCheck?: ConsulHealthCheck;

  /**
   * How long an instance may stay critical (a killed pod) before Consul deregisters it
   * (`spring.cloud.consul.discovery.health-check-critical-timeout`). Consul's minimum is 1 minute; its
   * reaper runs every 30 s on top. The shortest is chosen because a live instance can no longer be lost to it:
   * the TTL heartbeat reports the readiness group (not a dependency's health) and re-registers the instance
   * when Consul has removed it.
   *
   * @default Duration.minutes(1) (Consul's minimum for DeregisterCriticalServiceAfter)
   * @see https://developer.hashicorp.com/consul/api-docs/agent/check#deregistercriticalserviceafter
   */
  readonly criticalTimeout?: Duration;

  /**
   * You declare that every consumer of this service sets `spring.cloud.consul.discovery.query-passing=true`
   * (Spring Cloud Consul's default is false). Without the declaration the construct reports a warning: the
   * take-out (maintenance mode) makes the instance critical, not gone, and consumers without the setting keep
   * calling it for the whole wait.
   *
   * @default false (a warning finding `consul-consumers-query-passing`)
   */
  readonly consumersQueryPassing?: boolean;
}

/** @internal */
export function bindConsul(props: ConsulRegistryProps | undefined, ctx: RegistryContext): RegistryBinding {
  const p = readProps('registry', props, 'give e.g. Registry.consul({ agentMaintenance: { … } }) or Registry.consul()') ?? {};
  const agentMaintenance = readProps('registry.agentMaintenance', p.agentMaintenance, 'give { serviceName } or leave agentMaintenance out (in-process take-out)');
  const { cache, callTimeoutSeconds, consumerCacheSeconds } = readOptions('registry', p);
  const check = p.healthCheck ?? ConsulHealthCheck.ttlHeartbeat();
  if (!(check instanceof ConsulHealthCheck)) {
    throw invalidProp('registry.healthCheck', show(check), 'is not a ConsulHealthCheck', 'give ConsulHealthCheck.ttlHeartbeat() or ConsulHealthCheck.httpPath(path)');
  }
  const criticalMs = readMillis('registry.criticalTimeout', p.criticalTimeout ?? RegistryFacts.CONSUL_MIN_DEREGISTER_CRITICAL_AFTER,
    { positive: true, fix: 'give at least Duration.minutes(1), or leave it out' });
  const minMs = RegistryFacts.CONSUL_MIN_DEREGISTER_CRITICAL_AFTER.toMilliseconds();
  if (criticalMs < minMs) {
    throw invalidProp('registry.criticalTimeout', formatMillis(criticalMs), `is below Consul's minimum of ${formatMillis(minMs)} for DeregisterCriticalServiceAfter`,
      'give at least Duration.minutes(1), or leave it out');
  }

  const env: ManagedVariable[] = [
    // Consumers (this service is one too) must not be handed critical instances: maintenance mode marks the
    // instance critical, and only query-passing consumers skip it.
    { name: springEnvName(QUERY_PASSING.property), value: QUERY_PASSING.value },
    { name: 'SPRING_CLOUD_CONSUL_DISCOVERY_HEALTHCHECKCRITICALTIMEOUT', value: `${ceilSeconds(criticalMs)}s`, owner: 'registry.criticalTimeout' },
  ];
  if (check._path === undefined) {
    env.push(
      { name: 'SPRING_CLOUD_CONSUL_DISCOVERY_HEARTBEAT_ENABLED', value: 'true', owner: 'registry.healthCheck' },
      // The TTL follows readiness, not overall health: a dependency outage must not make a live instance critical
      // and, after the critical timeout, deregister it. Re-register if Consul removed it anyway.
      { name: springEnvName(HEALTH_GROUP), value: 'readiness' },
      { name: springEnvName(REREGISTER), value: 'true' },
    );
  } else {
    env.push({ name: 'SPRING_CLOUD_CONSUL_DISCOVERY_HEALTHCHECKPATH', value: check._path, owner: 'registry.healthCheck' });
  }

  let takeOut: TakeOutPlan;
  if (agentMaintenance === undefined) {
    takeOut = actuatorTakeOut('registry', ctx, 'OUT_OF_SERVICE');
  } else {
    const m = agentMaintenance;
    const serviceName = checkName('registry.agentMaintenance.serviceName', m.serviceName, 'orders');
    const agent = m.agent ?? ConsulAgent.nodeLocal();
    if (!(agent instanceof ConsulAgent)) {
      throw invalidProp('registry.agentMaintenance.agent', show(agent), 'is not a ConsulAgent', 'give ConsulAgent.nodeLocal() or ConsulAgent.address("host:8500")');
    }
    const token = m.token === undefined ? undefined : checkSecret('registry.agentMaintenance.token', m.token);
    // Instance id = service name + pod name: unique, known to both the application and the hook.
    const instanceId = `${serviceName}-$(${POD_NAME_VAR})`;
    takeOut = {
      description: `PUT /v1/agent/service/maintenance/${serviceName}-<pod name>?enable=true on ${agent._description}`,
      call: {
        method: 'PUT',
        url: `http://${agent._host}:${agent._port}/v1/agent/service/maintenance/${instanceId}?${queryString([['enable', 'true'], ['reason', 'pod terminating (preStop)']])}`,
      },
      token: token ? { value: token, header: 'X-Consul-Token' } : undefined,
    };
    env.push(
      { name: 'SPRING_CLOUD_CONSUL_HOST', value: agent._host, owner: 'registry.agentMaintenance.agent' },
      { name: 'SPRING_CLOUD_CONSUL_PORT', value: agent._port, owner: 'registry.agentMaintenance.agent' },
      { name: 'SPRING_CLOUD_CONSUL_DISCOVERY_SERVICENAME', value: serviceName, owner: 'registry.agentMaintenance.serviceName' },
      { name: 'SPRING_CLOUD_CONSUL_DISCOVERY_INSTANCEID', value: `${serviceName}-$(${POD_NAME_VAR})`, owner: 'registry.agentMaintenance.serviceName' },
    );
    if (token) {
      env.push({ name: 'SPRING_CLOUD_CONSUL_DISCOVERY_ACLTOKEN', value: '', valueFrom: { secret: token }, owner: 'registry.agentMaintenance.token' });
    }
  }

  const declared = p.consumersQueryPassing ?? false;
  if (typeof declared !== 'boolean') {
    throw invalidProp('registry.consumersQueryPassing', show(declared), 'must be true or false',
      'give true once every consumer sets spring.cloud.consul.discovery.query-passing=true, or leave it out');
  }
  const findings: Finding[] = declared ? [] : [{
    id: 'consul-consumers-query-passing',
    severity: FindingSeverity.WARNING,
    message: `a Consul instance in maintenance mode is critical, not gone, and ${QUERY_PASSING.property} defaults to false: consumers that do not set `
      + `${QUERY_PASSING.property}=${QUERY_PASSING.value} keep calling it for the whole preStop wait`,
    remediation: `set ${springEnvName(QUERY_PASSING.property)}=${QUERY_PASSING.value} on every consumer of this service (this construct sets it on its `
      + 'own pods), then declare it with registry: Registry.consul({ consumersQueryPassing: true })',
  }];

  return {
    name: 'consul',
    paths: [consumerPath('consul-consumers', {
      ms: RegistryFacts.CONSUL_AGENT_SYNC.toMilliseconds(),
      what: 'consul agent sync, read live by ConsulDiscoveryClient',
      source: 'anti-entropy sync triggered on change, allowance',
    }, cache)],
    takeOut,
    env,
    actuatorEndpoints: agentMaintenance === undefined ? ['serviceregistry'] : [],
    callTimeoutSeconds,
    consumerCacheSeconds,
    findings,
    notes: [{
      label: 'consul checks',
      text: (check._path === undefined
        ? `TTL heartbeat ${RegistryFacts.CONSUL_HEARTBEAT_TTL.toSeconds()}s (a reused pod IP cannot answer for this instance) reporting the readiness `
          + 'group, re-registered on failure (a dependency outage cannot remove a live instance)'
        : `HTTP ${check._path} (unique to this service)`)
        + `; critical instances deregistered after ${ceilSeconds(criticalMs)}s (+ reaper ≤ 30 s)`,
    }],
  };
}

/** Spring Cloud Consul's default `spring.cloud.consul.discovery.health-check-path`. */
const DEFAULT_HEALTH_CHECK_PATH = '/actuator/health';

/**
 * The HTTP check Consul makes of an instance, as a foreign manifest configures it (Spring Cloud Consul), or
 * undefined when there is none (TTL heartbeats, no registered check, a check URL or context path we cannot
 * compare, or no port we can tell).
 */
function httpCheck(p: ObservedProperties, containerPorts: readonly unknown[], workloadName: string): ObservedHttpCheck | undefined {
  const on = (key: string) => p.get(key)?.value.trim().toLowerCase() === 'true';
  const off = (key: string) => p.get(key)?.value.trim().toLowerCase() === 'false';
  if (on('spring.cloud.consul.discovery.heartbeat.enabled') || off('spring.cloud.consul.discovery.register-health-check')) return undefined;
  if (p.get('spring.cloud.consul.discovery.health-check-url') || p.get('server.servlet.context-path')) return undefined;
  const path = p.get('spring.cloud.consul.discovery.health-check-path')?.value ?? DEFAULT_HEALTH_CHECK_PATH;
  const numeric = (v?: string) => (v !== undefined && /^[0-9]+$/.test(v.trim()) ? Number(v.trim()) : undefined);
  let port = numeric(p.get('spring.cloud.consul.discovery.management-port')?.value) ?? numeric(p.get('management.server.port')?.value)
    ?? numeric(p.get('server.port')?.value);
  if (port === undefined) {
    const ports = containerPorts.map((x: any) => x?.containerPort).filter((x: unknown) => typeof x === 'number');
    const http = (containerPorts.find((x: any) => x?.name === 'http') as any)?.containerPort;
    port = ports.length === 1 ? ports[0] : typeof http === 'number' ? http : undefined;
  }
  if (port === undefined) return undefined;
  const service = p.get('spring.cloud.consul.discovery.service-name')?.value ?? p.get('spring.application.name')?.value ?? workloadName;
  return { port, path, registryAddress: p.get('spring.cloud.consul.host')?.value ?? '', service };
}

/**
 * Consul: the constructs' `Registry.consul()` and everything the audit knows about Consul clients.
 * @internal
 */
export const CONSUL: RegistryModule = {
  id: 'consul',
  label: 'Consul',
  facts: [factRef('CONSUL_AGENT_SYNC'), factRef('CONSUL_HEARTBEAT_TTL'), factRef('CONSUL_MIN_DEREGISTER_CRITICAL_AFTER')],
  consumerSettings: [QUERY_PASSING],
  construct: {
    kind: 'consul',
    factory: 'Registry.consul()',
    bind: bindConsul,
    docRows: [{ call: 'Registry.consul()' }],
  },
  audit: {
    recognition: {
      scan: ['spring.cloud.consul.'],
      ignorePrefixes: ['spring.cloud.consul.config'],
      weakKeys: /METADATA|TAGS/,
      hint: 'consul',
      disabledBy: ['spring.cloud.consul.enabled', 'spring.cloud.consul.discovery.enabled'],
      preStopApis: [{ pattern: /\/v1\/agent\/service\//, evidence: 'its preStop calls the Consul agent API' }],
    },
    clientNamespace: 'spring.cloud.consul.',
    serverImages: [/(^|\/)consul([:@/]|$)/i],
    takeOut: { calls: [/maintenance/i] },
    propagation: () => ({
      seconds: RegistryFacts.CONSUL_AGENT_SYNC.toSeconds(),
      parts: [`Consul agent sync ${RegistryFacts.CONSUL_AGENT_SYNC.toSeconds()} s (ConsulDiscoveryClient reads Consul live)`],
    }),
    credentialKeys: [
      ...['', 'DISCOVERY_', 'CONFIG_'].flatMap(scope => ['ACLTOKEN', 'TOKEN'].map(k => `SPRING_CLOUD_CONSUL_${scope}${k}`)),
      'CONSUL_HTTP_TOKEN', 'CONSUL_TOKEN',
    ],
    httpCheck,
  },
};
