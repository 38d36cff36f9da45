import { Duration } from 'cdk8s';
import { actuatorTakeOut, readDeclaredRegistry, RegistryBinding, RegistryContext, RegistryOptions } from './adapter';
import { RegistryModule } from './module';
import { invalidProp, show } from '../errors';

/**
 * Props of `Registry.springCloud()`: any registry behind Spring Cloud's `ServiceRegistry` abstraction.
 */
export interface SpringCloudRegistryProps extends RegistryOptions {
  /**
   * Short kebab-case name of the registry, for explanations (e.g. `zookeeper`).
   */
  readonly name: string;

  /**
   * How long the registry takes to tell consumers (before their own cache).
   */
  readonly registryPropagation: Duration;

  /**
   * Where `registryPropagation` comes from (shown in the explanation).
   */
  readonly registryPropagationSource: string;

  /**
   * Status posted to `/actuator/serviceregistry` that your registry maps to "no traffic".
   *
   * @default 'OUT_OF_SERVICE'
   */
  readonly status?: string;
}

/** @internal */
export function bindSpringCloud(props: SpringCloudRegistryProps, ctx: RegistryContext): RegistryBinding {
  if (!props) {
    throw invalidProp('registry', show(props), 'needs props', 'give { name, registryPropagation, registryPropagationSource }');
  }
  const { path, callTimeoutSeconds, consumerCacheSeconds } = readDeclaredRegistry(props, { name: 'zookeeper', source: 'zookeeper watch, measured' });
  const status = props.status ?? 'OUT_OF_SERVICE';
  if (typeof status !== 'string' || !/^[A-Z_]{1,40}$/.test(status)) {
    throw invalidProp('registry.status', show(status), 'must be an upper-case status name', 'give e.g. "OUT_OF_SERVICE" or "DOWN"');
  }
  return {
    name: props.name,
    paths: [path],
    takeOut: actuatorTakeOut('registry', ctx, status),
    env: [],
    actuatorEndpoints: ['serviceregistry'],
    callTimeoutSeconds,
    consumerCacheSeconds,
    findings: [],
    notes: [],
  };
}

/**
 * Any registry behind Spring Cloud's `ServiceRegistry`: the constructs' `Registry.springCloud()`, and the
 * in-process take-out (`/actuator/serviceregistry`) the audit recognises in any preStop hook.
 * @internal
 */
export const SPRING_CLOUD: RegistryModule = {
  id: 'spring-cloud',
  label: 'Spring Cloud ServiceRegistry',
  facts: [],
  noFacts: 'the registry is yours: you declare its propagation and the source (registryPropagation, registryPropagationSource)',
  construct: {
    kind: 'spring-cloud',
    factory: 'Registry.springCloud()',
    bind: bindSpringCloud,
    docRows: [{ call: 'Registry.springCloud({ … })', declared: true }],
  },
  audit: {
    // Which registry sits behind the actuator endpoint is told by the other modules' settings.
    takeOut: { calls: [/serviceregistry/i, /OUT_OF_SERVICE/i] },
  },
};
