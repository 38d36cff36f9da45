import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  checkSecret, HOST_IP_VAR, HttpCall, POD_IP_VAR, POD_NAME_VAR, readDeclaredRegistry, RegistryBinding, RegistryOptions, TakeOutPlan,
} from './adapter';
import { RegistryModule } from './module';
import { invalidProp, show } from '../errors';

/**
 * An HTTP take-out call of your own.
 */
export interface HttpTakeOutProps {
  /**
   * URL to call. `{podIp}`, `{podName}` and `{hostIp}` are replaced by the pod's values when it runs.
   * No spaces, quotes or `$`.
   */
  readonly url: string;

  /**
   * HTTP method.
   *
   * @default 'POST'
   */
  readonly method?: string;

  /**
   * Request body.
   *
   * @default - none
   */
  readonly body?: string;

  /**
   * Content-Type of the body.
   *
   * @default 'application/json' when a body is given
   */
  readonly contentType?: string;

  /**
   * A token from a Secret, sent in this header (e.g. `Authorization` values must be the whole header value).
   *
   * @default - no token
   */
  readonly token?: kplus.SecretValue;

  /**
   * Header that carries `token`.
   *
   * @default 'Authorization'
   */
  readonly tokenHeader?: string;
}

/**
 * How a custom registry takes the instance out.
 */
export class TakeOut {
  /**
   * An HTTP call from the preStop script (curl, else wget, bounded by the call timeout).
   */
  public static http(props: HttpTakeOutProps): TakeOut {
    if (!props) {
      throw invalidProp('registry.takeOut', show(props), 'needs props', 'give TakeOut.http({ url: "http://…" })');
    }
    const raw = props.url;
    if (typeof raw !== 'string' || !/^https?:\/\/[^\s"'`$\\]+$/.test(raw)) {
      throw invalidProp('registry.takeOut.url', show(raw), 'must be an http(s) URL without spaces, quotes, backslashes or "$"',
        'give e.g. "http://127.0.0.1:54199/offline"; use {podIp}, {podName}, {hostIp} for the pod\'s values');
    }
    if (/^https?:\/\/[^/]*@/.test(raw)) {
      throw invalidProp('registry.takeOut.url', '<URL with credentials>', 'carries credentials in plain text', 'give them through token (a Secret)');
    }
    const url = raw.replace(/\{podIp\}/g, `$(${POD_IP_VAR})`).replace(/\{podName\}/g, `$(${POD_NAME_VAR})`).replace(/\{hostIp\}/g, `$(${HOST_IP_VAR})`);
    const method = typeof (props.method ?? 'POST') === 'string' ? (props.method ?? 'POST').toUpperCase() : '';
    if (!['POST', 'PUT', 'DELETE', 'GET'].includes(method)) {
      throw invalidProp('registry.takeOut.method', show(props.method), 'is not supported', 'give POST, PUT, DELETE or GET');
    }
    if (props.body !== undefined && typeof props.body !== 'string') {
      throw invalidProp('registry.takeOut.body', show(props.body), 'must be a string', 'give the request body as text');
    }
    const contentType = props.contentType ?? (props.body !== undefined ? 'application/json' : undefined);
    if (contentType !== undefined && !/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(;[ A-Za-z0-9=._-]*)?$/.test(contentType)) {
      throw invalidProp('registry.takeOut.contentType', show(contentType), 'is not a media type', 'give e.g. "application/json"');
    }
    const header = props.tokenHeader ?? 'Authorization';
    if (!/^[A-Za-z0-9-]{1,64}$/.test(header)) {
      throw invalidProp('registry.takeOut.tokenHeader', show(header), 'is not a header name', 'give e.g. "Authorization" or "X-Auth-Token"');
    }
    const call: HttpCall = { method: method as HttpCall['method'], url, body: props.body, contentType };
    return new TakeOut({
      description: `${method} ${raw}`,
      call,
      token: props.token ? { value: checkSecret('registry.takeOut.token', props.token), header } : undefined,
    });
  }

  /**
   * A command run by the preStop script (bounded by the call timeout), e.g. a vendor agent's offline
   * command. Passed as arguments, never through a shell.
   */
  public static command(argv: string[]): TakeOut {
    if (!Array.isArray(argv) || argv.length === 0 || argv.some(a => typeof a !== 'string' || a.length === 0)) {
      throw invalidProp('registry.takeOut', show(argv), 'must be a non-empty list of non-empty arguments', 'give e.g. ["/opt/agent/bin/offline", "--now"]');
    }
    return new TakeOut({ description: `command ${JSON.stringify(argv)}`, command: [...argv] });
  }

  private constructor(/** @internal */ public readonly _plan: TakeOutPlan) {}
}

/**
 * Props of `Registry.custom()`.
 */
export interface CustomRegistryProps extends RegistryOptions {
  /**
   * Short kebab-case name, for explanations (e.g. `mse`, `polaris`).
   */
  readonly name: string;

  /**
   * How the instance is taken out.
   */
  readonly takeOut: TakeOut;

  /**
   * How long the registry takes to tell consumers (before their own cache).
   */
  readonly registryPropagation: Duration;

  /**
   * Where `registryPropagation` comes from.
   */
  readonly registryPropagationSource: string;
}

/** @internal */
export function bindCustom(props: CustomRegistryProps): RegistryBinding {
  if (!props) {
    throw invalidProp('registry', show(props), 'needs props', 'give { name, takeOut, registryPropagation, registryPropagationSource }');
  }
  const { path, callTimeoutSeconds, consumerCacheSeconds } = readDeclaredRegistry(props, { name: 'mse', source: 'vendor docs: 20 s' });
  if (!(props.takeOut instanceof TakeOut)) {
    throw invalidProp('registry.takeOut', show(props.takeOut), 'is not a TakeOut', 'give TakeOut.http({ url }) or TakeOut.command([...])');
  }
  return {
    name: props.name,
    paths: [path],
    takeOut: props.takeOut._plan,
    env: [],
    actuatorEndpoints: [],
    callTimeoutSeconds,
    consumerCacheSeconds,
    findings: [],
    notes: [],
  };
}

/**
 * A registry the library does not know: the constructs' `Registry.custom()` (your call or command, your
 * numbers), and the generic take-out word the audit recognises in any preStop hook.
 * @internal
 */
export const CUSTOM: RegistryModule = {
  id: 'custom',
  label: 'custom registry',
  facts: [],
  noFacts: 'the registry is yours: you declare its propagation and the source (registryPropagation, registryPropagationSource)',
  construct: {
    kind: 'custom',
    factory: 'Registry.custom()',
    bind: (props) => bindCustom(props),
    docRows: [{ call: 'Registry.custom({ … })', declared: true }],
  },
  audit: {
    takeOut: { calls: [/deregist/i] },
  },
};
