import * as crypto from 'crypto';
import * as fs from 'fs';
import * as nodePath from 'path';
import { ApiObject, ApiObjectMetadata, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { invalidProp, show } from '../errors';
import { SCRIPT_DIR, SCRIPT_PATH } from './paths';
import { HttpCall, TakeOutPlan } from '../registry/adapter';
import { EnvEntry, kubeletReferences, ManagedVariable } from '../spring/env';

/**
 * How the preStop hook runs in the container.
 *
 * The kubelet runs preStop after the pod's deletion timestamp is set (the grace period is already
 * counting) and sends SIGTERM only when the hook returns, so the hook is where the instance is taken out
 * and the propagation wait happens.
 *
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
export class PreStopHook {
  /**
   * The library's POSIX sh script (`/bin/sh /etc/graceful/prestop.sh`, mounted from a ConfigMap),
   * configured only by environment variables: takes the instance out (curl, else wget, else busybox
   * wget, each call bounded), logs each step to the container's stdout, waits, optionally triggers the
   * shutdown, and always exits 0 within its budget. Needs `/bin/sh` in the image.
   * See [docs/prestop-script.md](docs/prestop-script.md).
   */
  public static script(): PreStopHook {
    return new PreStopHook('script');
  }

  /**
   * `exec ["sleep", N]`: only waits. Needs a `sleep` binary (coreutils or busybox), no shell. Cannot take
   * an instance out of a registry.
   */
  public static sleepCommand(): PreStopHook {
    return new PreStopHook('sleep-command');
  }

  /**
   * Kubernetes' own `lifecycle.preStop.sleep` action: needs nothing in the image (distroless, Spring Boot
   * ≥ 3.4 "tiny" images), but only waits, and needs Kubernetes ≥ 1.30 (beta, on by default; GA in 1.34):
   * declare it with `kubernetesVersion`.
   *
   * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-implementations
   */
  public static sleepAction(): PreStopHook {
    return new PreStopHook('sleep-action');
  }

  /**
   * An HTTP GET the kubelet sends to an endpoint of your application, for images without a shell. The
   * endpoint must do the preStop's work itself: take the instance out, wait `GRACEFUL_WAIT_SECONDS` (set in
   * the container's environment) and only then answer.
   *
   * @param path the endpoint's path
   * @param port the endpoint's port
   * @default port the management port (GracefulJavaService) or the application port
   */
  public static httpGet(path: string, port?: number): PreStopHook {
    if (typeof path !== 'string' || !path.startsWith('/') || /\s/.test(path)) {
      throw invalidProp('preStop.httpGet(path)', show(path), 'must be an absolute URL path without spaces', 'give e.g. "/internal/prestop"');
    }
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      throw invalidProp('preStop.httpGet(port)', show(port), 'must be a TCP port', 'give the endpoint\'s port, or leave it out');
    }
    return new PreStopHook('http-get', path, port);
  }

  private constructor(
    /** Which delivery: `script`, `sleep-command`, `sleep-action` or `http-get`. */
    public readonly kind: string,
    /** @internal */ public readonly _path?: string,
    /** @internal */ public readonly _port?: number,
  ) {}
}

export { SCRIPT_DIR, SCRIPT_PATH };

/** The pod-template annotation with the script's SHA-256: a changed script rolls the pods. @internal */
export const SCRIPT_HASH_ANNOTATION = 'graceful.cdk8s.io/prestop-script-sha256';

/** The script shipped in the package (assets/prestop.sh). */
function scriptText(): string {
  const file = nodePath.join(__dirname, '..', '..', 'assets', 'prestop.sh');
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`the preStop script is missing from the package (${file}): reinstall cdk8s-graceful (${(e as Error).message})`);
  }
}

/** The script's SHA-256 (hex). */
function scriptHash(): string {
  return crypto.createHash('sha256').update(scriptText()).digest('hex');
}

/**
 * The preStop script's ConfigMap name: `graceful-prestop-` and the first 10 hex digits of the script's
 * SHA-256. The same script has the same name in every chart and namespace; a new script is a new ConfigMap
 * (a new name in the pod template), so pods still terminating during a rollout keep the script they
 * started with.
 * @internal
 */
export function scriptConfigMapName(): string {
  return `graceful-prestop-${scriptHash().slice(0, 10)}`;
}

/**
 * The one preStop script ConfigMap of a chart and namespace, shared by every workload there that runs the
 * script: created on the chart by the first of them (construct id `GracefulPreStopScript` and the
 * namespace), found by the others.
 * @internal
 */
export function sharedScript(scope: Construct, namespace: string | undefined): kplus.ConfigMap {
  const chart = Chart.of(scope);
  const ns = namespace ?? chart.namespace;
  const id = ns === undefined ? 'GracefulPreStopScript' : `GracefulPreStopScript-${ns}`;
  const existing = chart.node.tryFindChild(id);
  if (existing instanceof kplus.ConfigMap) {
    return existing;
  }
  return new kplus.ConfigMap(chart, id, {
    metadata: {
      name: scriptConfigMapName(),
      ...(namespace !== undefined ? { namespace } : {}),
      labels: { 'app.kubernetes.io/name': 'graceful-prestop', 'app.kubernetes.io/part-of': 'cdk8s-graceful' },
    },
    data: { 'prestop.sh': scriptText() },
  });
}

/**
 * What the hook has to do, decided by the construct.
 * @internal
 */
export interface PreStopPlan {
  readonly hook: PreStopHook;
  readonly waitSeconds: number;
  readonly callTimeoutSeconds: number;
  readonly takeOut?: TakeOutPlan;
  /** A call after the wait (shutdown trigger). */
  readonly after?: HttpCall;
  /** Label for log lines. */
  readonly name: string;
  /** Port for httpGet when none is given. */
  readonly defaultHttpPort: number;
  /** Kubernetes minor version the user declared, e.g. 28. */
  readonly kubernetesMinor: number;
  readonly preStopSeconds: number;
}

/** How many bounded calls the script makes (the budget counts the call timeout once for each). @internal */
export function countCalls(takeOut: TakeOutPlan | undefined, after: HttpCall | undefined): number {
  return (takeOut?.login ? 1 : 0) + (takeOut?.call || takeOut?.command ? 1 : 0) + (after ? 1 : 0);
}

/**
 * Picks the hook: the script when something must be called, the sleep command otherwise; checks that a
 * chosen hook can do what is needed.
 * @internal
 */
export function chooseHook(given: PreStopHook | undefined, needsCalls: boolean, takeOutDescription: string | undefined,
  kubernetesMinor: number): PreStopHook {
  if (given !== undefined && !(given instanceof PreStopHook)) {
    throw invalidProp('preStop', show(given), 'is not a PreStopHook', 'give PreStopHook.script(), .sleepCommand(), .sleepAction() or .httpGet(path)');
  }
  const hook = given ?? (needsCalls ? PreStopHook.script() : PreStopHook.sleepCommand());
  if ((hook.kind === 'sleep-command' || hook.kind === 'sleep-action') && needsCalls) {
    throw invalidProp('preStop', `PreStopHook.${hook.kind === 'sleep-command' ? 'sleepCommand' : 'sleepAction'}()`,
      `only waits, but the instance must first be taken out (${takeOutDescription ?? 'a call'}): consumers would keep calling a pod that is about to stop`,
      'leave preStop out (the script, needs /bin/sh), or use PreStopHook.httpGet(path) with an application endpoint that takes the instance out and waits');
  }
  if (hook.kind === 'sleep-action' && kubernetesMinor < 30) {
    throw invalidProp('preStop', 'PreStopHook.sleepAction()', `needs Kubernetes ≥ 1.30, and kubernetesVersion is 1.${kubernetesMinor}`,
      'declare your cluster\'s version with kubernetesVersion: "1.30" (or later), or use PreStopHook.sleepCommand()');
  }
  return hook;
}

/**
 * The environment the script reads (docs/prestop-script.md). Every value is a plain env value or a
 * Secret / pod-field reference: nothing is ever interpreted by a shell. Values are literal (the name, the
 * body, header names: written with `$` escaped), except the URLs, which carry the library's
 * `$(GRACEFUL_POD_IP)`-style references and percent-encode every user part (src/registry/adapter.ts).
 * @internal
 */
export function scriptEnv(plan: PreStopPlan): ManagedVariable[] {
  const vars: ManagedVariable[] = [
    { name: 'GRACEFUL_WAIT_SECONDS', value: String(plan.waitSeconds), owner: 'traffic / registry (the derived propagation wait)' },
    { name: 'GRACEFUL_CALL_TIMEOUT_SECONDS', value: String(plan.callTimeoutSeconds), owner: 'registry.callTimeout' },
    { name: 'GRACEFUL_NAME', value: plan.name },
  ];
  const t = plan.takeOut;
  if (t?.call) {
    vars.push(...callEnv('GRACEFUL_TAKEOUT', t.call));
  }
  if (t?.login) {
    vars.push(
      { name: 'GRACEFUL_LOGIN_URL', value: t.login.url, owner: 'registry', references: true },
      { name: 'GRACEFUL_LOGIN_USERNAME', value: '', valueFrom: { secret: t.login.username }, owner: 'registry' },
      { name: 'GRACEFUL_LOGIN_PASSWORD', value: '', valueFrom: { secret: t.login.password }, owner: 'registry' },
      { name: 'GRACEFUL_TOKEN_QUERY', value: 'accessToken', owner: 'registry' },
    );
  }
  if (t?.token) {
    vars.push({ name: 'GRACEFUL_TOKEN', value: '', valueFrom: { secret: t.token.value }, owner: 'registry' });
    if (t.token.header) vars.push({ name: 'GRACEFUL_TOKEN_HEADER', value: t.token.header, owner: 'registry' });
    if (t.token.query) vars.push({ name: 'GRACEFUL_TOKEN_QUERY', value: t.token.query, owner: 'registry' });
  }
  if (plan.after) {
    vars.push(
      { name: 'GRACEFUL_AFTER_URL', value: plan.after.url, owner: 'shutdownTrigger', references: true },
      { name: 'GRACEFUL_AFTER_METHOD', value: plan.after.method, owner: 'shutdownTrigger' },
    );
  }
  return vars;
}

function callEnv(prefix: string, call: HttpCall): ManagedVariable[] {
  return [
    { name: `${prefix}_URL`, value: call.url, owner: 'registry', references: true },
    { name: `${prefix}_METHOD`, value: call.method, owner: 'registry' },
    ...(call.body !== undefined ? [{ name: `${prefix}_BODY`, value: call.body, owner: 'registry' }] : []),
    ...(call.contentType !== undefined ? [{ name: `${prefix}_CONTENT_TYPE`, value: call.contentType, owner: 'registry' }] : []),
  ];
}

/**
 * Downward-API variables that other values refer to as `$(NAME)` (as the kubelet reads them: an escaped
 * `$$(NAME)` is text); they must come first in the container's env for the kubelet to expand the references.
 * @internal
 */
export function downwardEnv(entries: EnvEntry[]): ManagedVariable[] {
  const fields: [string, string][] = [['GRACEFUL_POD_IP', 'status.podIP'], ['GRACEFUL_POD_NAME', 'metadata.name'], ['GRACEFUL_HOST_IP', 'status.hostIP']];
  const referenced = new Set(entries.flatMap(e => kubeletReferences(e.value)));
  return fields.filter(([name]) => referenced.has(name)).map(([name, fieldPath]) => ({ name, value: '', valueFrom: { fieldPath } }));
}

/**
 * What the construct wires into the container for the chosen hook.
 * @internal
 */
export interface PreStopWiring {
  /** The container's preStop handler (absent for the native sleep action, added by `finish`). */
  readonly handler?: kplus.Handler;
  /** Volume to mount read-only at SCRIPT_DIR. */
  readonly volume?: kplus.Volume;
  /** Pod-template annotations. */
  readonly annotations: { [key: string]: string };
  /** Called once the Deployment exists. */
  readonly finish: (deployment: kplus.Deployment, containerName: string) => void;
  /** The script's ConfigMap, shared by the chart's workloads in the same namespace. */
  readonly configMap?: kplus.ConfigMap;
}

/**
 * Builds the hook (and, for the script, the ConfigMap it is mounted from).
 * @internal
 */
export function wirePreStop(scope: Construct, plan: PreStopPlan, metadata: ApiObjectMetadata): PreStopWiring {
  const nothing = () => undefined;
  switch (plan.hook.kind) {
    case 'script': {
      const configMap = sharedScript(scope, metadata.namespace);
      return {
        handler: kplus.Handler.fromCommand(['/bin/sh', SCRIPT_PATH, ...(plan.takeOut?.command ?? [])]),
        volume: kplus.Volume.fromConfigMap(scope, 'PreStopVolume', configMap, { name: 'graceful-prestop', defaultMode: 0o444 }),
        // A changed script rolls the pods: the hash is on the pod template (and in the ConfigMap's name).
        annotations: { [SCRIPT_HASH_ANNOTATION]: scriptHash() },
        finish: nothing,
        configMap,
      };
    }
    case 'http-get':
      return {
        handler: kplus.Handler.fromHttpGet(plan.hook._path!, { port: plan.hook._port ?? plan.defaultHttpPort }),
        annotations: {},
        finish: nothing,
      };
    case 'sleep-action':
      return { annotations: {}, finish: (deployment, name) => addSleepAction(deployment, name, plan.preStopSeconds) };
    default:
      return { handler: kplus.Handler.fromCommand(['sleep', String(plan.preStopSeconds)]), annotations: {}, finish: nothing };
  }
}

/**
 * `lifecycle.preStop.sleep` is newer than the Kubernetes 1.28 schema cdk8s-plus-28 serializes with: its
 * typed serializer drops the field even from JSON patches. It is added to the Deployment's final JSON
 * instead (the only place it survives), with the container's keys kept sorted like the rest of the output.
 */
function addSleepAction(deployment: kplus.Deployment, containerName: string, seconds: number): void {
  const api = ApiObject.of(deployment);
  const toJson = api.toJson.bind(api);
  api.toJson = () => {
    const json = toJson();
    const containers: any[] = json?.spec?.template?.spec?.containers ?? [];
    const index = containers.findIndex(c => c.name === containerName);
    if (index >= 0) {
      const c = { ...containers[index], lifecycle: { ...(containers[index].lifecycle ?? {}), preStop: { sleep: { seconds } } } };
      containers[index] = Object.fromEntries(Object.keys(c).sort().map(k => [k, c[k]]));
    }
    return json;
  };
}
