import { invalidProp, show } from './errors';
import { RegistryFacts } from './registry/facts';

/**
 * Props of `ServiceMesh.istio()`.
 */
export interface IstioMeshProps {
  /**
   * Refused when `true`. With `EXIT_ON_ZERO_ACTIVE_CONNECTIONS` the Istio agent waits its minimum drain
   * (`MINIMUM_DRAIN_DURATION`, 5 s) and then exits as soon as no connection is active
   * (istio pkg/envoy/agent.go `terminate()`): it does not wait for the preStop, and a quiet moment during
   * the wait stops the proxy while consumers still send requests. Kept for compatibility; leave it out.
   *
   * @default false
   * @see https://github.com/istio/istio/blob/86c9f01fd735fb01d8192f5bcaf0d424afb7f14c/pkg/envoy/agent.go#L169-L174
   */
  readonly exitOnZeroActiveConnections?: boolean;

  /**
   * Run istio-proxy as a Kubernetes native sidecar (an init container with `restartPolicy: Always`,
   * Kubernetes ≥ 1.29, Istio ≥ 1.20): the pod gets the annotation `sidecar.istio.io/nativeSidecar: "true"`.
   * The kubelet stops native sidecars only after the application container has exited, so the proxy
   * outlives the preStop wait and the drain without any drain-duration setting; no `proxy.istio.io/config`
   * is emitted. Needs a cluster of Kubernetes 1.29 or newer: the construct refuses it unless its
   * `kubernetesVersion` is "1.29" or later (the default, "1.28", is not).
   *
   * @default false (the proxy is a regular container; its drain durations are raised instead)
   * @see https://github.com/istio/istio/blob/86c9f01fd735fb01d8192f5bcaf0d424afb7f14c/manifests/charts/istio-control/istio-discovery/files/injection-template.yaml#L29
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
   */
  readonly nativeSidecar?: boolean;
}

/**
 * A service-mesh sidecar that must outlive the application's drain. Without configuration Istio's proxy
 * drains for `terminationDrainDuration` (5 s) after SIGTERM — which it gets when the pod starts
 * terminating, in parallel with the application's preStop — and exits while the application is still
 * waiting and serving: its in-flight and late requests fail. Envoy's own `drainDuration` (45 s) ends the
 * listener drain: after it new inbound connections are refused.
 *
 * @see https://github.com/istio/istio/issues/34855
 */
export class ServiceMesh {
  /**
   * No sidecar to keep alive.
   */
  public static none(): ServiceMesh {
    return new ServiceMesh('none', false);
  }

  /**
   * Istio: the pod gets `proxy.istio.io/config` with `terminationDrainDuration` and `drainDuration` =
   * preStop + drain + shutdown allowance (the grace period already covers that plus the safety buffer), or
   * with `nativeSidecar` the native-sidecar annotation instead.
   *
   * @default props - drain durations raised, regular sidecar container
   */
  public static istio(props?: IstioMeshProps): ServiceMesh {
    const exit = props?.exitOnZeroActiveConnections ?? false;
    if (typeof exit !== 'boolean') {
      throw invalidProp('mesh.istio(exitOnZeroActiveConnections)', show(exit), 'must be true or false', 'leave it out (false)');
    }
    if (exit) {
      throw invalidProp('mesh.istio(exitOnZeroActiveConnections)', 'true',
        `makes the Istio agent exit ${RegistryFacts.ISTIO_MINIMUM_DRAIN.toSeconds()} s after SIGTERM as soon as no connection is active, `
        + 'without waiting for the preStop: consumers that still call the pod during the wait fail',
        'leave it out (the construct raises terminationDrainDuration and drainDuration to preStop + drain + allowance), '
        + 'or give nativeSidecar: true on Kubernetes ≥ 1.29');
    }
    const native = props?.nativeSidecar ?? false;
    if (typeof native !== 'boolean') {
      throw invalidProp('mesh.istio(nativeSidecar)', show(native), 'must be true or false', 'give true on Kubernetes ≥ 1.29, or leave it out (false)');
    }
    return new ServiceMesh('istio', native);
  }

  private constructor(
    /** `none` or `istio`. */
    public readonly kind: string,
    /** @internal */ public readonly _native: boolean,
  ) {}

  /**
   * Pod annotations and an explanation line for a sidecar that must stay up `seconds`.
   * @internal
   */
  public _configure(seconds: number, terms: string): { annotations: { [key: string]: string }; line?: { key: string; label: string; text: string } } {
    if (this.kind !== 'istio') {
      return { annotations: {} };
    }
    if (this._native) {
      return {
        annotations: { 'sidecar.istio.io/nativeSidecar': 'true' },
        line: {
          key: 'istio-termination-drain-duration',
          label: 'istio native sidecar',
          text: 'istio-proxy runs as a native sidecar (Kubernetes ≥ 1.29): the kubelet stops it after the application container has exited, '
            + `so it outlives ${terms} = ${seconds}s without a drain setting`,
        },
      };
    }
    const config = { drainDuration: `${seconds}s`, terminationDrainDuration: `${seconds}s` };
    return {
      annotations: { 'proxy.istio.io/config': JSON.stringify(config) },
      line: {
        key: 'istio-termination-drain-duration',
        label: 'istio terminationDrainDuration and drainDuration',
        text: `${terms} = ${seconds}s (Istio's defaults: terminationDrainDuration ${RegistryFacts.ISTIO_TERMINATION_DRAIN.toSeconds()}s would stop `
          + `the sidecar during the preStop wait; drainDuration ${RegistryFacts.ISTIO_DRAIN_DURATION.toSeconds()}s ends Envoy's listener drain, `
          + 'after which new inbound connections are refused)',
      },
    };
  }
}
