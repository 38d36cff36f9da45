import { RegistryBinding } from './adapter';

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
    callTimeoutSeconds: 0,
    findings: [],
    notes: [],
  };
}
