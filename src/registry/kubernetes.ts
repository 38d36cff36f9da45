import { DEFAULT_CALL_TIMEOUT, RegistryBinding } from './adapter';
import { RegistryModule } from './module';
import { Propagation } from '../shutdown/propagation';

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

/**
 * Kubernetes Service only (the default): nothing to take out, only endpoint propagation to wait for.
 * @internal
 */
export const KUBERNETES_SERVICE: RegistryModule = {
  id: 'kubernetes-service',
  label: 'Kubernetes Service',
  facts: [{
    name: 'Propagation.DEFAULT_ENDPOINT_DELAY',
    seconds: Propagation.DEFAULT_ENDPOINT_DELAY.toSeconds(),
    setting: 'EndpointSlice update → kube-proxy / ingress controllers (Spring Boot reference: a 10 s preStop sleep)',
    source: 'https://docs.spring.io/spring-boot/reference/deployment/cloud.html#deployment.cloud.kubernetes.container-lifecycle',
  }],
  construct: {
    kind: 'kubernetes-service',
    factory: 'Registry.kubernetesService()',
    bind: () => bindKubernetesService(),
    docRows: [{ call: 'Registry.kubernetesService()' }],
  },
  audit: {},
  noAudit: 'a container without registry settings is this case: the audit judges its preStop hook with the rules every workload gets',
};
