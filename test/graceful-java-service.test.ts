import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, ServiceAccount } from 'cdk8s-plus-28';
import { GracefulJavaService, GracefulJavaServiceProps, ProcessInit, Registry } from '../src';
import { appContainer, byKind, envOf, synthValid, theDeployment } from './util/k8s';

const traffic = { averageLatency: Duration.millis(120), p99Latency: Duration.millis(800), p95Concurrency: 40 };

function make(props: Partial<GracefulJavaServiceProps> = {}) {
  const chart = Testing.chart();
  const svc = new GracefulJavaService(chart, 'orders', { image: 'registry.example.com/orders:1.4.2', traffic, ...props });
  return { chart, svc, manifests: synthValid(chart) };
}

describe('GracefulJavaService', () => {
  test('emits a Deployment, a Service and a PodDisruptionBudget that pass the Kubernetes schema', () => {
    const { manifests } = make();
    expect(manifests.map(m => m.kind)).toEqual(['Deployment', 'Service', 'PodDisruptionBudget']);
  });

  test('the grace period, preStop and Spring timeout come from the derived budget', () => {
    // drain = max(longest request 30s (Spring's default), p99 800ms, queue 40 × 120ms = 4800ms) → 30s;
    // preStop 10s; JVM allowance 5s; buffer 10s
    const { svc, manifests } = make();
    const pod = theDeployment(manifests).spec.template.spec;
    expect(pod.terminationGracePeriodSeconds).toBe(55);
    expect(svc.budget.terminationGracePeriodSeconds).toBe(55);
    const c = appContainer(manifests);
    expect(c.lifecycle.preStop).toEqual({ exec: { command: ['sleep', '10'] } });
    expect(envOf(c).SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE).toBe('30s');
    expect(envOf(c).SERVER_SHUTDOWN).toBe('graceful');
  });

  test('the numbers change with the traffic', () => {
    // An explicit shorter longest request wins over Spring's 30 s: max(2s, p99 800ms, ceil(40 / 8) × 120ms = 600ms) = 2s;
    // grace = 10 + 2 + 5 + 10
    const short = make({ traffic: { ...traffic, workerThreads: 8, longestRequest: Duration.seconds(2) } }).manifests;
    expect(theDeployment(short).spec.template.spec.terminationGracePeriodSeconds).toBe(27);
    expect(envOf(appContainer(short)).SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE).toBe('2s');
    // A queue longer than 30 s wins over the default: 400 in flight on one worker × 120ms = 48s; grace = 10 + 48 + 5 + 10
    const queued = make({ traffic: { ...traffic, p95Concurrency: 400 } }).manifests;
    expect(theDeployment(queued).spec.template.spec.terminationGracePeriodSeconds).toBe(73);
    expect(envOf(appContainer(queued)).SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE).toBe('48s');
    // A longer longest request (consumers' read timeout 60 s) lengthens the phase and the grace period alike.
    const long = make({ traffic: { ...traffic, longestRequest: Duration.seconds(60) } }).manifests;
    expect(theDeployment(long).spec.template.spec.terminationGracePeriodSeconds).toBe(85);
    expect(envOf(appContainer(long)).SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE).toBe('60s');
  });

  test('the pod template explains every number', () => {
    const { manifests } = make();
    const a = theDeployment(manifests).spec.template.metadata.annotations;
    expect(a['graceful.cdk8s.io/drain'])
      .toBe('max(longest request 30s (default), p99 800ms, queue ceil(C95 40 / T 1) = 40 × avg 120ms = 4800ms) = 30s → 30s');
    expect(a['graceful.cdk8s.io/termination-grace-period']).toBe('55s (derived minimum)');
    expect(a['graceful.cdk8s.io/minimum-grace-period']).toContain('preStop 10s + drain 30s + allowance 5s + buffer 10s = 55s');
    expect(a['graceful.cdk8s.io/sources']).toContain('longest request 30s (default): Spring Boot\'s own spring.lifecycle.timeout-per-shutdown-phase default');
    expect(a['graceful.cdk8s.io/startup-probe']).toContain('failureThreshold ceil(300s / period 10s) = 30');
    expect(Object.keys(a).every(k => k.startsWith('graceful.cdk8s.io/'))).toBe(true);
    expect(a['graceful.cdk8s.io/sources']).toContain('jvm allowance 5s: field report 002');
    expect(a['graceful.cdk8s.io/sources']).toContain('safety buffer 10s: field report 004');
  });

  test('readiness and liveness use distinct Spring Boot health groups on the management port', () => {
    const c = appContainer(make().manifests);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/actuator/health/readiness', port: 8081, scheme: 'HTTP' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/actuator/health/liveness', port: 8081, scheme: 'HTTP' });
    expect(c.startupProbe.httpGet.port).toBe(8081);
    expect(envOf(c).MANAGEMENT_SERVER_PORT).toBe('8081');
    expect(envOf(c).MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED).toBe('true');
  });

  test('the startup probe replaces cdk8s-plus\'s 30s TCP probe and covers the startup budget', () => {
    const c = appContainer(make().manifests);
    expect(c.startupProbe.tcpSocket).toBeUndefined();
    expect(c.startupProbe.failureThreshold * c.startupProbe.periodSeconds).toBe(300);
    const c2 = appContainer(make({ startupBudget: Duration.seconds(95) }).manifests);
    expect(c2.startupProbe.failureThreshold).toBe(10); // ceil(95 / 10)
  });

  test('the Service exposes the application port only, never the management port', () => {
    const { manifests } = make();
    const svc = byKind(manifests, 'Service')[0];
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
    const c = appContainer(manifests);
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http' }, { containerPort: 8081, name: 'management' }]);
  });

  test('rolling update never removes a pod before its replacement is ready', () => {
    const d = theDeployment(make().manifests);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.minReadySeconds).toBe(30);
    expect(d.spec.progressDeadlineSeconds).toBeGreaterThan(300 + 30);
  });

  test('the PodDisruptionBudget selects the Deployment\'s pods and allows one disruption', () => {
    const { manifests } = make();
    const pdb = byKind(manifests, 'PodDisruptionBudget')[0];
    const d = theDeployment(manifests);
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(d.spec.selector.matchLabels);
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels)) {
      expect(d.spec.template.metadata.labels[k]).toBe(v);
    }
  });

  test('the JVM is PID 1: jar renders exec form, flags go through JAVA_TOOL_OPTIONS', () => {
    const c = appContainer(make({ jar: '/app/app.jar' }).manifests);
    expect(c.command).toEqual(['java', '-jar', '/app/app.jar']);
    expect(envOf(c).JAVA_TOOL_OPTIONS).toBe('-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError');
    // The kubelet expands `$(VAR)` in command: the library writes the path literally.
    expect(appContainer(make({ jar: '/app/$(HOME)$$.jar' }).manifests).command).toEqual(['java', '-jar', '/app/$$(HOME)$$$$.jar']);
    const c2 = appContainer(make({ jar: '/app/app.jar', jvmOptions: ['-Xss512k'] }).manifests);
    expect(envOf(c2).JAVA_TOOL_OPTIONS).toBe('-Xss512k');
    const c3 = appContainer(make({ jvmOptions: [] }).manifests);
    expect(envOf(c3).JAVA_TOOL_OPTIONS).toBeUndefined();
  });

  test('tini and dumb-init are put in front of the command', () => {
    const c = appContainer(make({ jar: '/app/app.jar', init: ProcessInit.tini() }).manifests);
    expect(c.command).toEqual(['tini', '-g', '--', 'java', '-jar', '/app/app.jar']);
    const c2 = appContainer(make({ command: ['sh', '-c', 'exec java -jar /app.jar'], init: ProcessInit.dumbInit('/usr/bin/dumb-init') }).manifests);
    expect(c2.command).toEqual(['/usr/bin/dumb-init', '--', 'sh', '-c', 'exec java -jar /app.jar']);
  });

  test('an init does not make a shell wrapper without exec acceptable (it exits when the shell dies)', () => {
    expect(() => make({ command: ['sh', '-c', 'java -jar /app.jar'], init: ProcessInit.dumbInit() }))
      .toThrow(/'command' \(\["sh","-c","java -jar \/app.jar"\]\) under dumb-init does not let SIGTERM reach the application/);
    expect(() => make({ command: ['sh', '-c', 'java -jar /app.jar'], init: ProcessInit.tini() })).toThrow(/under tini/);
  });

  test('a shell wrapper that execs the JVM is accepted', () => {
    const c = appContainer(make({ command: ['sh', '-c', 'echo starting; exec java $JAVA_OPTS -jar /app.jar'] }).manifests);
    expect(c.command[0]).toBe('sh');
  });

  test('a writable /tmp on a read-only root filesystem', () => {
    const { manifests } = make();
    const c = appContainer(manifests);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(theDeployment(manifests).spec.template.spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  test('user env is added; keys the budget owns are refused with the prop to set instead', () => {
    const c = appContainer(make({ envVariables: { SPRING_PROFILES_ACTIVE: 'prod', JAVA_TOOL_OPTIONS: '-Xmx1g' } }).manifests);
    expect(envOf(c).SPRING_PROFILES_ACTIVE).toBe('prod');
    expect(envOf(c).JAVA_TOOL_OPTIONS).toBe('-Xmx1g'); // the user's value replaces the default
    expect(c.env.filter((e: any) => e.name === 'JAVA_TOOL_OPTIONS')).toHaveLength(1);
    expect(() => make({ envVariables: { 'spring.lifecycle.timeout-per-shutdown-phase': '5m' } }))
      .toThrow(/\[test\/orders\] 'envVariables\.spring\.lifecycle\.timeout-per-shutdown-phase' \("5m"\) sets SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE in another spelling \(Spring binds spring\.lifecycle\.timeout-per-shutdown-phase and SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE to the same property\), which this construct derives \(SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE=30s\) from 'traffic'\. Fix: remove spring\.lifecycle\.timeout-per-shutdown-phase from envVariables and set 'traffic' instead/);
    expect(() => make({ envVariables: { MANAGEMENT_SERVER_PORT: '9000' } })).toThrow(/set 'managementPort' instead/);
    expect(() => make({ envVariables: { Server_Port: '9000' } })).toThrow(/set 'port' instead/);
    expect(() => make({ envVariables: { 'server.shutdown': 'immediate' } }))
      .toThrow(/'envVariables\.server\.shutdown' \("immediate"\) sets SERVER_SHUTDOWN in another spelling \(Spring binds server\.shutdown and SERVER_SHUTDOWN to the same property\), which must be graceful: without it .* drop in-flight requests on SIGTERM\. Fix: remove it/);
    expect(() => make({ envVariables: { MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED: 'false' } })).toThrow(/which must be true: the readiness and liveness probes/);
  });

  test('children are reachable for escape hatches', () => {
    const { chart, svc } = make();
    svc.deployment.podMetadata.addLabel('team', 'payments');
    svc.container.env.addVariable('EXTRA', { value: '1' } as any);
    const manifests = synthValid(chart);
    expect(theDeployment(manifests).spec.template.metadata.labels.team).toBe('payments');
    expect(svc.service.name).toBeDefined();
    expect(svc.podDisruptionBudget.kind).toBe('PodDisruptionBudget');
  });

  test('security context and service account pass through', () => {
    const chart = Testing.chart();
    const sa = new ServiceAccount(chart, 'sa', { metadata: { name: 'orders' } });
    const svc = new GracefulJavaService(chart, 'orders', {
      image: 'i', traffic, securityContext: { user: 1000, group: 1000 }, serviceAccount: sa,
    });
    const manifests = synthValid(chart);
    const pod = theDeployment(manifests).spec.template.spec;
    expect(pod.serviceAccountName).toBe('orders');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(appContainer(manifests).securityContext)
      .toMatchObject({ runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(svc.container.securityContext.user).toBe(1000);
  });

  test('metadata name and namespace apply to all three objects', () => {
    const { manifests } = make({ metadata: { name: 'orders', namespace: 'shop', labels: { app: 'orders' } } });
    for (const m of manifests) {
      expect(m.metadata).toEqual({ name: 'orders', namespace: 'shop', labels: { app: 'orders' } });
    }
  });

  test('explain() covers the budget and the rollout', () => {
    const text = make().svc.explain();
    expect(text).toContain('terminationGracePeriodSeconds               = 55s (derived minimum)');
    expect(text).toContain('progressDeadlineSeconds = max(Kubernetes default 600s');
  });
});

describe('bad input is refused at synth with the construct path, the prop, its value and the fix', () => {
  test.each([
    ['one replica without acknowledgement', { replicas: 1 }, /\[test\/orders\] 'replicas' \(1\) leaves no pod serving.*singleReplicaReason/],
    ['zero replicas', { replicas: 0 }, /'replicas' \(0\) must be a whole number of at least 1/],
    ['reason without one replica', { singleReplicaReason: 'x' }, /'singleReplicaReason' \("x"\) is only meaningful with replicas: 1/],
    ['port out of range', { port: 70000 }, /'port' \(70000\) must be a whole number from 1 to 65535/],
    ['port zero', { port: 0 }, /'port' \(0\) must be a whole number from 1 to 65535/],
    ['management port out of range', { managementPort: -1 }, /'managementPort' \(-1\)/],
    ['management port equal to port', { port: 8080, managementPort: 8080 }, /'managementPort' \(8080\) is the same as 'port' \(8080\)/],
    ['sh -c without exec', { command: ['sh', '-c', 'java -jar /app.jar'] }, /\[test\/orders\] 'command' \(\["sh","-c","java -jar \/app.jar"\]\) does not let SIGTERM reach the application.*'exec'.*Fix: start the last command with exec/],
    ['bash -c split over command and args', { command: ['/bin/bash', '-c'], args: ['cd /app && java -jar app.jar'] }, /'command' .*does not let SIGTERM reach the application/],
    ['jar and command together', { jar: '/app.jar', command: ['java'] }, /'jar' \("\/app.jar"\) cannot be combined with 'command'/],
    ['init without a command', { init: ProcessInit.tini() }, /'init' \(tini\) needs an explicit command/],
    ['empty image', { image: '' }, /'image' \(""\) must be a non-empty image reference/],
    ['zero latency', { traffic: { ...traffic, averageLatency: Duration.millis(0) } }, /\[test\/orders\] 'traffic\.averageLatency' \(0ms\) must be greater than zero/],
    ['zero concurrency', { traffic: { ...traffic, p95Concurrency: 0 } }, /'traffic\.p95Concurrency' \(0 requests\)/],
    ['grace below minimum', { terminationGracePeriod: Duration.seconds(20) }, /'terminationGracePeriod' \(20s\) is 35s shorter than the derived minimum of 55s/],
    ['progress deadline too short', { progressDeadline: Duration.seconds(100) }, /'progressDeadline' \(100s\) must be greater than startup probe window 300s \+ minReady 30s = 330s/],
    ['NaN jvm allowance', { jvmAllowance: Duration.millis(NaN) }, /\[test\/orders\] 'jvmAllowance' \(NaNms\) must be a finite duration/],
    ['bad jvm option', { jvmOptions: ['-Xmx1g -Xms1g'] }, /'jvmOptions' .* must be a list of options without spaces/],
    ['env value not a string', { envVariables: { A: 1 as any } }, /'envVariables\.A' \(1\) must be a string/],
  ])('%s', (_name, props, message) => {
    expect(() => make(props as any)).toThrow(message);
  });

  test('no manifest is written when the input is bad', () => {
    const chart = Testing.chart();
    expect(() => new GracefulJavaService(chart, 'orders', { image: 'i', traffic, replicas: 1 })).toThrow();
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('the error is a GracefulConfigError, not a crash from deep inside', () => {
    try {
      make({ port: 1.5 });
      fail('expected an error');
    } catch (e) {
      expect((e as Error).name).toBe('GracefulConfigError');
    }
  });
});

describe('single replica with a reason', () => {
  test('is allowed and recorded', () => {
    const { manifests } = make({ replicas: 1, singleReplicaReason: 'batch consumer, a gap of a minute is fine' });
    const d = theDeployment(manifests);
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.template.metadata.annotations['graceful.cdk8s.io/single-replica-reason']).toBe('batch consumer, a gap of a minute is fine');
  });
});

test('two synths of the same input are byte-identical', () => {
  const once = () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    new GracefulJavaService(chart, 'orders', { image: 'orders:1', traffic, jar: '/app.jar' });
    new GracefulJavaService(chart, 'payments', { image: 'payments:1', traffic: { ...traffic, workerThreads: 4 } });
    return app.synthYaml();
  };
  const a = once();
  expect(a.length).toBeGreaterThan(1000);
  expect(once()).toBe(a);
});

describe('findings', () => {
  test('a shell running a script file as PID 1 cannot be checked: a finding, not an error', () => {
    const { svc } = make({ command: ['sh', '/app/start.sh'] });
    expect(svc.findings.map(f => f.id)).toEqual(['pid1-script-unverified']);
    expect(svc.findings[0].path).toBe('spec.template.spec.containers[0].command');
    expect(svc.findings[0].message).toContain("SIGTERM reaches the application only if /app/start.sh ends with 'exec …'");
  });

  test('a grace period above the cluster autoscaler limit comes back as a finding', () => {
    // A 10-minute export the service promises to finish: drain 600s + preStop 10s + allowance 5s + buffer 10s.
    const { svc, manifests } = make({ traffic: { ...traffic, longestRequest: Duration.minutes(10) } });
    expect(theDeployment(manifests).spec.template.spec.terminationGracePeriodSeconds).toBe(625);
    expect(svc.findings.map(f => f.id)).toEqual(['grace-period-above-autoscaler-limit']);
  });

  test('the autoscaler finding is the rule\'s, over the emitted Deployment, with the budget\'s text', () => {
    const { svc } = make({ traffic: { ...traffic, longestRequest: Duration.minutes(10) } });
    const [finding] = svc.findings;
    expect(finding.path).toBe('spec.template.spec.terminationGracePeriodSeconds');
    expect(finding.message).toBe(svc.budget.findings[0].message);
    expect(finding.message).toBe('terminationGracePeriodSeconds 625s is above the cluster autoscaler\'s default --max-graceful-termination-sec of 600 s: '
      + 'on scale-down the pod is killed after 600 s, not after 625 s');
  });

  test('a clean configuration has none', () => {
    expect(make({ jar: '/app.jar' }).svc.findings).toEqual([]);
  });
});

describe('every wait inside the JVM is budgeted or switched off (Spring Cloud Alibaba)', () => {
  const nacos = { registry: Registry.nacos() };
  const WAIT = 'SPRING_CLOUD_NACOS_DISCOVERY_GRACEFULSHUTDOWNWAITTIME';

  test('switched off by default: the preStop already waited, so the budget adds nothing', () => {
    const { svc, manifests } = make(nacos);
    expect(envOf(appContainer(manifests))[WAIT]).toBe('0');
    expect(svc.budget.inProcessWaitSeconds).toBe(0);
    const a = theDeployment(manifests).spec.template.metadata.annotations;
    expect(a['graceful.cdk8s.io/in-process-wait']).toBe('0s after SIGTERM, before the drain');
    expect(a['graceful.cdk8s.io/in-process-wait-1']).toBe(`Spring Cloud Alibaba's graceful-shutdown wait (default 10 s): switched off, ${WAIT}=0 `
      + `(the preStop already waited ${svc.budget.preStopSeconds}s)`);
    expect(a['graceful.cdk8s.io/sources']).toContain('RegistryFacts.SCA_NACOS_GRACEFUL_SHUTDOWN_WAIT: https://github.com/alibaba/spring-cloud-alibaba/blob/');
  });

  test('kept when the user sets it: the budget adds it (any spelling Spring binds)', () => {
    const off = make(nacos).svc.budget;
    const { svc, manifests } = make({ ...nacos, envVariables: { 'spring.cloud.nacos.discovery.graceful-shutdown-wait-time': '10000' } });
    expect(svc.budget.inProcessWaitSeconds).toBe(10);
    expect(svc.budget.terminationGracePeriodSeconds).toBe(off.terminationGracePeriodSeconds + 10);
    const env = appContainer(manifests).env.map((e: any) => e.name);
    expect(env).not.toContain(WAIT); // the user's value replaces the library's 0
    expect(env).toContain('spring.cloud.nacos.discovery.graceful-shutdown-wait-time');
    expect(svc.explain()).toContain('kept, spring.cloud.nacos.discovery.graceful-shutdown-wait-time=10000 → 10s added to the budget');
    expect(svc.explain()).toContain('+ in-process wait 10s + drain 30s');
  });

  test('a value that is not whole milliseconds is refused with the fix', () => {
    expect(() => make({ ...nacos, envVariables: { [WAIT]: '10s' } }))
      .toThrow(/\[test\/orders\] 'envVariables\.SPRING_CLOUD_NACOS_DISCOVERY_GRACEFULSHUTDOWNWAITTIME' \("10s"\) is not a whole number of milliseconds up to one day\. Fix: give e\.g\. "3000"/);
    expect(() => make({ ...nacos, envVariables: { [WAIT]: '-1' } })).toThrow(/is not a whole number of milliseconds/);
    expect(() => make({ ...nacos, envVariables: { [WAIT]: '999999999999' } })).toThrow(/up to one day/);
  });

  test('other registries have no such wait', () => {
    const { svc, manifests } = make({ registry: Registry.consul({ agentMaintenance: { serviceName: 'orders' } }) });
    expect(envOf(appContainer(manifests))[WAIT]).toBeUndefined();
    expect(svc.explain()).not.toContain('in-process wait');
  });
});

describe('JVM pod defaults', () => {
  test('readiness, liveness and startup probes wait 5 s for an answer, not Kubernetes\' 1 s', () => {
    const c = appContainer(make().manifests);
    expect([c.readinessProbe.timeoutSeconds, c.livenessProbe.timeoutSeconds, c.startupProbe.timeoutSeconds]).toEqual([5, 5, 5]);
    // still below the 10 s period: a stalled JVM fails three periods in a row
    expect(c.livenessProbe.timeoutSeconds).toBeLessThan(c.livenessProbe.periodSeconds);
    expect(make().svc.explain()).toContain('probe timeoutSeconds 5: half the 10 s period');
  });

  test('without resources the memory request equals the limit, so the heap ceiling stays within the request', () => {
    const { svc, manifests } = make();
    expect(appContainer(manifests).resources).toEqual({ limits: { cpu: '1500m', memory: '2048Mi' }, requests: { cpu: '1000m', memory: '2048Mi' } });
    expect(svc.findings).toEqual([]);
  });

  test('a heap ceiling above the memory request is a warning with the numbers and the fix', () => {
    const { svc } = make({ resources: { cpu: { request: Cpu.millis(500) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) } } });
    expect(svc.findings.map(f => [f.id, f.severity])).toEqual([['jvm-heap-above-memory-request', 'warning']]);
    expect(svc.findings[0].message).toBe('the JVM heap may grow to MaxRAMPercentage 75 % × memory limit 2048 MiB = 1536 MiB, above the memory request '
      + 'of 512 MiB: the pod then uses more memory than it requested, and under node memory pressure the kubelet evicts such pods first');
    expect(svc.findings[0].remediation).toBe('set resources.memory.request to at least 1536 MiB (e.g. equal to the limit, 2048 MiB), '
      + 'or lower -XX:MaxRAMPercentage to at most 25');
  });

  test('the heap ceiling follows the options: -Xmx wins, a user JAVA_TOOL_OPTIONS replaces jvmOptions, the JDK default is 25 %', () => {
    const resources = { memory: { request: Size.mebibytes(1024), limit: Size.mebibytes(2048) } };
    expect(make({ resources }).svc.findings.map(f => f.id)).toEqual(['jvm-heap-above-memory-request']); // 75 % × 2048 = 1536 > 1024
    expect(make({ resources, jvmOptions: ['-XX:MaxRAMPercentage=50.0'] }).svc.findings).toEqual([]); // 1024 = 1024
    expect(make({ resources, jvmOptions: [] }).svc.findings).toEqual([]); // JDK default 25 % = 512
    const xmx = make({ resources, jvmOptions: ['-XX:MaxRAMPercentage=10', '-Xmx1500m'] }).svc.findings;
    expect(xmx[0].message).toContain('-Xmx 1500 MiB, above the memory request of 1024 MiB');
    expect(xmx[0].remediation).toContain('or lower -Xmx to 1024m');
    expect(make({ resources, envVariables: { JAVA_TOOL_OPTIONS: '-Xmx512m' } }).svc.findings).toEqual([]);
    // request left out: Kubernetes uses the limit; limit left out: the JVM sizes from the node, which the plan cannot see
    expect(make({ resources: { memory: { limit: Size.mebibytes(2048) } } }).svc.findings).toEqual([]);
    expect(make({ resources: { memory: { request: Size.mebibytes(256) } } }).svc.findings).toEqual([]);
  });
});
