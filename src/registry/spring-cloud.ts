import { Duration } from 'cdk8s';
import { actuatorTakeOut, consumerPath, readOptions, RegistryBinding, RegistryContext, RegistryOptions } from './adapter';
import { invalidProp } from '../errors';
import { ceilSeconds, readMillis } from '../shutdown/seconds';

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
    throw invalidProp('registry', String(props), 'needs props', 'give { name, registryPropagation, registryPropagationSource }');
  }
  const { cache, callTimeoutSeconds } = readOptions('registry', props);
  if (typeof props.name !== 'string' || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(props.name)) {
    throw invalidProp('registry.name', JSON.stringify(props.name), 'must be a kebab-case name', 'give e.g. "zookeeper"');
  }
  const ms = readMillis('registry.registryPropagation', props.registryPropagation, { fix: 'give how long your registry takes to tell consumers, e.g. Duration.seconds(5)' });
  if (typeof props.registryPropagationSource !== 'string' || props.registryPropagationSource.trim() === '') {
    throw invalidProp('registry.registryPropagationSource', JSON.stringify(props.registryPropagationSource), 'must say where the number comes from',
      'give e.g. "zookeeper watch, measured"');
  }
  const status = props.status ?? 'OUT_OF_SERVICE';
  if (typeof status !== 'string' || !/^[A-Z_]{1,40}$/.test(status)) {
    throw invalidProp('registry.status', JSON.stringify(status), 'must be an upper-case status name', 'give e.g. "OUT_OF_SERVICE" or "DOWN"');
  }
  return {
    name: props.name,
    paths: [consumerPath(`${props.name}-consumers`, { ms, what: `${props.name}`, source: props.registryPropagationSource.trim() }, cache)],
    takeOut: actuatorTakeOut('registry', ctx, status),
    env: [],
    actuatorEndpoints: ['serviceregistry'],
    callTimeoutSeconds,
    consumerCacheSeconds: ceilSeconds(cache.delayMillis),
    findings: [],
    notes: [],
  };
}
