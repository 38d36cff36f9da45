import { DEFAULT_CALL_TIMEOUT, RegistryBinding } from './adapter';

/**
 * Callers reach the pods through a Kubernetes Service (or an Ingress) only: nothing to take out, only
 * endpoint propagation to wait for (the construct always adds that path).
 * @internal
 */
export function bindKubernetesService(): RegistryBinding {
  return {
    name: 'kubernetes service',
    paths: [],
    env: [],
    actuatorEndpoints: [],
    // Nothing to take out; a shutdown trigger's call is still bounded by the library's default.
    callTimeoutSeconds: DEFAULT_CALL_TIMEOUT.toSeconds(),
    findings: [],
    notes: [],
  };
}
