import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { invalidProp, show, withPath } from './errors';
import { Finding, FindingSeverity } from './finding';
import { GracefulService, GracefulWorkloadOptions } from './graceful-service';
import { checkDerivedNames, checkPort, checkResources, DEFAULT_PORT } from './plan/checks';
import { withProfile, WorkloadProfile } from './plan/profile';
import { ShutdownBudget } from './shutdown/budget';
import { formatMillis, readMillis } from './shutdown/seconds';
import { kubeletValue, ManagedVariable } from './spring/env';

/**
 * Props of {@link GracefulJavaService}.
 */
export interface GracefulJavaServiceProps extends GracefulWorkloadOptions {
  /**
   * Spring Boot management (actuator) port. Health probes go here; it is never part of the Service, so
   * actuator endpoints are not reachable through it.
   *
   * @default 8081
   * @see https://docs.spring.io/spring-boot/reference/actuator/monitoring.html#actuator.monitoring.customizing-management-server-port
   */
  readonly managementPort?: number;

  /**
   * Path of the executable jar. When given, the container command is `["java", "-jar", jar]` in exec
   * form: the kubelet starts the JVM directly as PID 1, no shell in between. Cannot be combined with
   * `command`. Written literally (a `$` is escaped as `$$` for the kubelet).
   *
   * @default - the image's ENTRYPOINT (or `command`)
   */
  readonly jar?: string;

  /**
   * JVM options, passed in `JAVA_TOOL_OPTIONS` (read by every JVM, no shell needed). The JDK's own
   * `MaxRAMPercentage` default is 25 %.
   *
   * @default ['-XX:MaxRAMPercentage=75.0', '-XX:+ExitOnOutOfMemoryError']
   * @see https://bugs.openjdk.org/browse/JDK-8186248
   */
  readonly jvmOptions?: string[];

  /**
   * Time the JVM needs after Spring's graceful phase to exit: remaining lifecycle phases, shutdown
   * hooks, closing pools, a GC pause.
   *
   * @default Duration.seconds(5) (field report 002 allows 5 s after its shutdown call)
   */
  readonly jvmAllowance?: Duration;

  /**
   * After the preStop wait, POST to Spring Boot's `/actuator/shutdown` on the management port (field
   * report 002 does this). Off by default: with the JVM as PID 1, the kubelet's SIGTERM right after the hook
   * starts the same graceful shutdown. When on, the shutdown endpoint is enabled and exposed on the
   * management port only, which is never part of the Service, so callers cannot stop the application.
   *
   * @default false
   */
  readonly shutdownTrigger?: boolean;

  /**
   * Also expose the management (actuator) port through a second Service, `<name>-management` (or a
   * generated name), selecting the same pods, for scraping metrics (e.g. a Prometheus `ServiceMonitor` or
   * scrape config pointing at its `management` port). The application's Service still exposes the
   * application port only. The endpoints in `actuatorEndpoints` (default `prometheus`) are exposed over HTTP.
   *
   * @default false
   * @see https://docs.spring.io/spring-boot/reference/actuator/metrics.html#actuator.metrics.export.prometheus
   */
  readonly managementService?: boolean;

  /**
   * Actuator endpoints to expose over HTTP on the management port, besides those the construct needs
   * (`health` for the probes, `serviceregistry` or `shutdown` for the preStop hook). Spring Boot reads one
   * exposure list (`MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE`), and the variable the construct sets
   * replaces a list in the application's own `application.yml`: name here what the application exposes there,
   * or give the list in `envVariables` (the construct adds its entries to yours).
   *
   * @default - ['prometheus'] with managementService, else none
   * @see https://docs.spring.io/spring-boot/reference/actuator/endpoints.html#actuator.endpoints.exposing
   */
  readonly actuatorEndpoints?: string[];
}

/**
 * Default management port (Spring Boot's documented example of a separate management port).
 */
const DEFAULT_MANAGEMENT_PORT = 8081;

/**
 * Container-aware JVM defaults. The JVM detects cgroup limits by default since JDK 10 (8u191), but sizes
 * its heap at 25 % of them; 75 % leaves a quarter for metaspace, thread stacks and direct buffers.
 * ExitOnOutOfMemoryError lets Kubernetes restart a JVM that can no longer work.
 */
const DEFAULT_JVM_OPTIONS = ['-XX:MaxRAMPercentage=75.0', '-XX:+ExitOnOutOfMemoryError'];

/** The management Service's name: the workload's name and this suffix. */
const MANAGEMENT_SERVICE_SUFFIX = '-management';

/** An actuator endpoint id (Spring Boot's EndpointId: letters and digits, `-` and `.` tolerated). */
const ACTUATOR_ID = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

/** Report 002 waits 5 s after its shutdown call for the JVM to exit. */
const DEFAULT_JVM_ALLOWANCE = Duration.seconds(5);

/**
 * Spring Boot's own `spring.lifecycle.timeout-per-shutdown-phase` default: 30 s. The shutdown phase is never
 * shorter unless `traffic.longestRequest` says so: a request in flight at SIGTERM may take as long as the
 * service promises, not just p99.
 * @see https://github.com/spring-projects/spring-boot/blob/07031b07cb77801ae90d92b534165f8caf265873/spring-boot-project/spring-boot-autoconfigure/src/main/java/org/springframework/boot/autoconfigure/context/LifecycleProperties.java#L36
 */
const SPRING_DEFAULT_PHASE_TIMEOUT = Duration.seconds(30);
const SPRING_DEFAULT_PHASE_TIMEOUT_SOURCE = 'longest request 30s (default): Spring Boot\'s own spring.lifecycle.timeout-per-shutdown-phase default '
  + '(LifecycleProperties.java line 36, timeoutPerShutdownPhase = Duration.ofSeconds(30)); give traffic.longestRequest to change it';

/**
 * timeoutSeconds of the JVM's readiness and liveness probes. Kubernetes' default is 1 s; a JVM answers its
 * health group in milliseconds, except during a stop-the-world GC pause or while its CPU quota is throttled —
 * and below 2 CPUs or 1792 MB the JVM picks the single-threaded Serial GC (openjdk `os::is_server_class_machine`,
 * `GCConfig::select_gc_ergonomically`), whose full collections of a heap of a gigabyte or more take seconds. Half
 * the 10 s probe period: a slow answer still lands inside its period, and a stalled JVM still fails 3 periods in a row.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe
 * @see https://github.com/openjdk/jdk/blob/master/src/hotspot/share/runtime/os.cpp
 */
const JVM_PROBE_TIMEOUT_SECONDS = 5;
const JVM_PROBE_TIMEOUT_SOURCE = `probe timeoutSeconds ${JVM_PROBE_TIMEOUT_SECONDS}: half the 10 s period instead of Kubernetes' 1 s default, `
  + 'for GC pauses and CPU throttling of the JVM (Serial GC below 2 CPUs or 1792 MB: openjdk os::is_server_class_machine)';

/**
 * Memory resources when none are given: cdk8s-plus-28's 2048Mi limit with the request raised to it. The heap
 * alone may grow to MaxRAMPercentage (75 %) × limit = 1536Mi; with cdk8s-plus's 512Mi request the pod would sit
 * far above its request, and the kubelet evicts pods whose usage exceeds their request first under node
 * memory pressure. CPU keeps cdk8s-plus-28's 1000m request / 1500m limit.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/#pod-selection-for-kubelet-eviction
 */
const DEFAULT_JAVA_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(1000), limit: kplus.Cpu.millis(1500) },
  memory: { request: Size.mebibytes(2048), limit: Size.mebibytes(2048) },
};
const DEFAULT_JAVA_RESOURCES_SOURCE = 'memory request = limit 2048Mi: the heap ceiling (MaxRAMPercentage × limit) stays within the request, '
  + 'pods above their request are evicted first (Kubernetes node-pressure eviction)';

/** The JDK's own MaxRAMPercentage default. @see https://bugs.openjdk.org/browse/JDK-8186248 */
const JDK_DEFAULT_MAX_RAM_PERCENTAGE = 25;

/** The finding id of a heap ceiling above the memory request. */
const HEAP_ABOVE_REQUEST_ID = 'jvm-heap-above-memory-request';

/**
 * Kubernetes' own example for slow-starting containers: failureThreshold 30 × periodSeconds 10 = 5 min.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes
 */
const DEFAULT_JAVA_STARTUP_BUDGET = Duration.minutes(5);

/** Spring Boot's probe health groups. */
const READINESS_PATH = '/actuator/health/readiness';
const LIVENESS_PATH = '/actuator/health/liveness';

/**
 * A Spring Boot / JVM service on top of {@link GracefulService}: Spring's graceful shutdown with
 * `timeout-per-shutdown-phase` = the derived drain (never below Spring's own 30 s default unless
 * `traffic.longestRequest` is shorter), readiness and liveness on Spring Boot's health groups on the
 * management port with a 5 s probe timeout, the JVM as PID 1, a writable /tmp, container-aware JVM flags and
 * a memory request equal to the limit (when `resources` is not given).
 *
 * @see https://docs.spring.io/spring-boot/reference/web/graceful-shutdown.html
 * @see https://docs.spring.io/spring-boot/reference/actuator/endpoints.html#actuator.endpoints.kubernetes-probes
 */
export class GracefulJavaService extends GracefulService {
  /** The management (actuator) port; not part of the Service. */
  public readonly managementPort: number;
  /** The Service exposing the management port for scraping, when `managementService` is true. */
  public readonly managementService?: kplus.Service;

  constructor(scope: Construct, id: string, props: GracefulJavaServiceProps) {
    const checked = withPath(`${scope.node.path}/${id}`.replace(/^\//, ''), () => checkJava(props));
    // The Spring Boot / JVM profile goes to the plan typed, beside the props (see withProfile).
    super(scope, id, withProfile({
      ...props,
      command: checked.command,
      health: { readinessPath: READINESS_PATH, livenessPath: LIVENESS_PATH, port: checked.managementPort },
      shutdownAllowance: props.jvmAllowance ?? DEFAULT_JVM_ALLOWANCE,
      resources: props.resources ?? DEFAULT_JAVA_RESOURCES,
    }, javaProfile(checked, {
      defaultAllowance: props.jvmAllowance === undefined,
      defaultLongestRequest: props.traffic?.longestRequest === undefined,
      defaultResources: props.resources === undefined,
      findings: heapFindings(props.resources ?? DEFAULT_JAVA_RESOURCES, checked.jvmOptions, props.envVariables),
    })));
    this.managementPort = checked.managementPort;
    this.container.addPort({ number: checked.managementPort, name: 'management' });
    if (checked.managementService) {
      const metadata = this.deployment.metadata;
      const name = props.metadata?.name;
      this.managementService = new kplus.Service(this, 'ManagementService', {
        metadata: {
          name: name !== undefined ? `${name}${MANAGEMENT_SERVICE_SUFFIX}` : undefined,
          namespace: metadata.namespace,
          labels: props.metadata?.labels,
        },
        selector: this.deployment,
        ports: [{ port: checked.managementPort, targetPort: checked.managementPort, name: 'management' }],
      });
    }
  }
}

function checkJava(props: GracefulJavaServiceProps) {
  if (props === undefined || props === null) {
    throw invalidProp('props', String(props), 'are required', 'give at least { image, traffic }');
  }
  const port = checkPort('port', props.port ?? DEFAULT_PORT);
  checkResources(props.resources); // read here for the heap ceiling, so checked here first
  const managementPort = checkPort('managementPort', props.managementPort ?? DEFAULT_MANAGEMENT_PORT);
  if (managementPort === port) {
    throw invalidProp('managementPort', String(managementPort), `is the same as 'port' (${port})`,
      'give the actuator its own port (default 8081) so health and admin endpoints stay out of the Service');
  }
  let command = props.command;
  if (props.jar !== undefined) {
    if (typeof props.jar !== 'string' || props.jar.length === 0) {
      throw invalidProp('jar', JSON.stringify(props.jar), 'must be a non-empty path', 'give the jar\'s path in the image, e.g. "/app/app.jar"');
    }
    if (props.command !== undefined) {
      throw invalidProp('jar', JSON.stringify(props.jar), 'cannot be combined with \'command\'', 'give either jar (rendered as ["java", "-jar", jar]) or command');
    }
    // The kubelet expands `$(VAR)` in command too: the path is written literally.
    command = ['java', '-jar', kubeletValue(props.jar)];
  }
  if (props.jvmAllowance !== undefined) {
    readMillis('jvmAllowance', props.jvmAllowance, { fix: 'give the time the JVM needs to exit after the drain, e.g. Duration.seconds(5), or leave it out' });
  }
  const jvmOptions = props.jvmOptions ?? DEFAULT_JVM_OPTIONS;
  if (!Array.isArray(jvmOptions) || jvmOptions.some(o => typeof o !== 'string' || o.length === 0 || /\s/.test(o))) {
    throw invalidProp('jvmOptions', JSON.stringify(jvmOptions), 'must be a list of options without spaces',
      'give one option per entry, e.g. ["-XX:MaxRAMPercentage=75.0"] (JAVA_TOOL_OPTIONS splits on spaces)');
  }
  const managementService = props.managementService ?? false;
  if (typeof managementService !== 'boolean') {
    throw invalidProp('managementService', show(managementService), 'must be true or false', 'give true to expose the management port to a metrics Service, or leave it out');
  }
  if (managementService && props.metadata?.name !== undefined && typeof props.metadata.name === 'string') {
    checkDerivedNames(props.metadata.name, [{ suffix: MANAGEMENT_SERVICE_SUFFIX, what: 'the management Service (a DNS-1035 label)', limit: 63 }]);
  }
  const actuatorEndpoints = props.actuatorEndpoints ?? (managementService ? ['prometheus'] : []);
  if (!Array.isArray(actuatorEndpoints) || actuatorEndpoints.some(e => typeof e !== 'string' || !ACTUATOR_ID.test(e))) {
    throw invalidProp('actuatorEndpoints', show(actuatorEndpoints), 'must be a list of actuator endpoint ids (letters, digits, "-")',
      'give e.g. ["prometheus", "info"]');
  }
  const shutdownTrigger = props.shutdownTrigger ?? false;
  if (typeof shutdownTrigger !== 'boolean') {
    throw invalidProp('shutdownTrigger', JSON.stringify(shutdownTrigger), 'must be true or false', 'leave it out (SIGTERM starts the same shutdown)');
  }
  return { port, managementPort, command, jvmOptions, shutdownTrigger, managementService, actuatorEndpoints };
}

/**
 * What a Spring Boot / JVM workload adds to the plan: a longer startup budget, the Spring environment
 * derived from the budget, the actuator (management) port, and the optional shutdown trigger.
 */
function javaProfile(checked: ReturnType<typeof checkJava>,
  d: { defaultAllowance: boolean; defaultLongestRequest: boolean; defaultResources: boolean; findings: Finding[] }): WorkloadProfile {
  return {
    defaultStartupBudget: DEFAULT_JAVA_STARTUP_BUDGET,
    defaultStartupBudgetSource: 'Kubernetes docs, slow-starting containers: 30 × 10 s',
    sources: [
      ...(d.defaultLongestRequest ? [SPRING_DEFAULT_PHASE_TIMEOUT_SOURCE] : []),
      ...(d.defaultAllowance
        ? [`jvm allowance ${formatMillis(DEFAULT_JVM_ALLOWANCE.toMilliseconds())}: field report 002 (5 s after its shutdown call; docs/field-reports.md)`]
        : []),
      JVM_PROBE_TIMEOUT_SOURCE,
      ...(d.defaultResources ? [DEFAULT_JAVA_RESOURCES_SOURCE] : []),
    ],
    defaultLongestRequest: SPRING_DEFAULT_PHASE_TIMEOUT,
    probeTimeoutSeconds: JVM_PROBE_TIMEOUT_SECONDS,
    findings: d.findings,
    managedEnv: (budget: ShutdownBudget): ManagedVariable[] => springEnvironment(budget, checked.port, checked.managementPort, checked.jvmOptions),
    actuatorPort: checked.managementPort,
    spring: true,
    exposeEndpoints: checked.actuatorEndpoints,
    afterCall: checked.shutdownTrigger ? {
      call: { method: 'POST', url: `http://127.0.0.1:${checked.managementPort}/actuator/shutdown` },
      actuatorEndpoint: 'shutdown',
      // Spring Boot < 3.4 reads `enabled`, 3.4+ reads `access` (and still honours `enabled`).
      env: [
        { name: 'MANAGEMENT_ENDPOINT_SHUTDOWN_ENABLED', value: 'true', owner: 'shutdownTrigger' },
        { name: 'MANAGEMENT_ENDPOINT_SHUTDOWN_ACCESS', value: 'unrestricted', owner: 'shutdownTrigger' },
      ],
    } : undefined,
  };
}

/**
 * The heap ceiling against the memory request: a warning when `-Xmx`, else MaxRAMPercentage × the memory
 * limit, is above the request (the pod then uses more than it asked for, and is evicted first). Without a
 * memory limit the JVM sizes itself from the node, which the plan cannot see: no finding.
 */
function heapFindings(resources: kplus.ContainerResources, jvmOptions: string[], env: { [name: string]: string } | undefined): Finding[] {
  const limit = resources?.memory?.limit;
  if (limit === undefined) return [];
  const limitMi = limit.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  const requestMi = resources.memory?.request?.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) ?? limitMi; // Kubernetes: request defaults to the limit
  // A JAVA_TOOL_OPTIONS of the user's replaces jvmOptions; the last occurrence of a flag wins.
  const userOptions = Object.entries(env ?? {}).find(([k]) => k.toUpperCase() === 'JAVA_TOOL_OPTIONS')?.[1];
  const options = typeof userOptions === 'string' ? userOptions.split(/\s+/).filter(o => o.length > 0) : jvmOptions;
  let percent = JDK_DEFAULT_MAX_RAM_PERCENTAGE;
  let xmxMi: number | undefined;
  for (const o of options) {
    const p = /^-XX:MaxRAMPercentage=(\d+(?:\.\d+)?)$/.exec(o);
    if (p) percent = Number(p[1]);
    const x = /^-Xmx(\d+)([kKmMgG]?)$/.exec(o);
    if (x) xmxMi = Number(x[1]) * ({ 'k': 1 / 1024, 'm': 1, 'g': 1024, '': 1 / (1024 * 1024) } as any)[x[2].toLowerCase()];
  }
  const heapMi = xmxMi ?? (limitMi * percent) / 100;
  if (heapMi <= requestMi) return [];
  const round = (n: number) => +n.toFixed(1);
  const how = xmxMi !== undefined ? `-Xmx ${round(heapMi)} MiB` : `MaxRAMPercentage ${percent} % × memory limit ${round(limitMi)} MiB = ${round(heapMi)} MiB`;
  return [{
    id: HEAP_ABOVE_REQUEST_ID,
    severity: FindingSeverity.WARNING,
    message: `the JVM heap may grow to ${how}, above the memory request of ${round(requestMi)} MiB: the pod then uses more memory than it `
      + 'requested, and under node memory pressure the kubelet evicts such pods first',
    remediation: `set resources.memory.request to at least ${Math.ceil(heapMi)} MiB (e.g. equal to the limit, ${round(limitMi)} MiB)`
      + (xmxMi === undefined ? `, or lower -XX:MaxRAMPercentage to at most ${Math.floor((requestMi / limitMi) * 100)}` : `, or lower -Xmx to ${Math.floor(requestMi)}m`),
  }];
}

/**
 * Spring Boot settings, as environment variables (relaxed binding), that make the termination sequence
 * work: graceful web server shutdown bounded by the drain, the management port and its probe groups.
 */
function springEnvironment(budget: ShutdownBudget, port: number, managementPort: number, jvmOptions: string[]): ManagedVariable[] {
  const vars: ManagedVariable[] = [
    { name: 'SERVER_PORT', value: String(port), owner: 'port' },
    // https://docs.spring.io/spring-boot/reference/web/graceful-shutdown.html
    {
      name: 'SERVER_SHUTDOWN',
      value: 'graceful',
      fixed: {
        why: 'without it Tomcat/Jetty/Undertow drop in-flight requests on SIGTERM',
        fix: 'remove it from envVariables; for a workload that must stop at once use GracefulService instead',
      },
    },
    // max(longest request (Spring's 30 s default unless given), p99, queue drain): see ShutdownBudget.
    { name: 'SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE', value: `${budget.shutdownPhaseTimeoutSeconds}s`, owner: 'traffic' },
    { name: 'MANAGEMENT_SERVER_PORT', value: String(managementPort), owner: 'managementPort' },
    // https://docs.spring.io/spring-boot/reference/actuator/endpoints.html#actuator.endpoints.kubernetes-probes
    {
      name: 'MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED',
      value: 'true',
      fixed: {
        why: 'the readiness and liveness probes call Spring Boot\'s /actuator/health/readiness and /liveness groups',
        fix: 'remove it from envVariables',
      },
    },
  ];
  if (jvmOptions.length > 0) {
    vars.push({ name: 'JAVA_TOOL_OPTIONS', value: jvmOptions.join(' ') });
  }
  return vars;
}
