import { invalidProp, show } from './errors';
import { RegistryFacts } from './registry/facts';

/**
 * Props of `ServiceMesh.istio()`.
 */
export interface IstioMeshProps {
  /**
   * Also let the sidecar exit as soon as it has no active connections left
   * (`EXIT_ON_ZERO_ACTIVE_CONNECTIONS`, Istio ≥ 1.12), instead of always waiting out the drain duration.
   *
   * @default false
   */
  readonly exitOnZeroActiveConnections?: boolean;
}

/**
 * A service-mesh sidecar that must outlive the application's drain. Without configuration Istio's proxy
 * drains for `terminationDrainDuration` (5 s) after SIGTERM — which it gets when the pod starts
 * terminating, in parallel with the application's preStop — and exits while the application is still
 * waiting and serving: its in-flight and late requests fail.
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
   * Istio: the pod gets `proxy.istio.io/config` with `terminationDrainDuration` = preStop + drain +
   * shutdown allowance (the grace period already covers that plus the safety buffer).
   *
   * @default props - drain duration only
   */
  public static istio(props?: IstioMeshProps): ServiceMesh {
    const exit = props?.exitOnZeroActiveConnections ?? false;
    if (typeof exit !== 'boolean') {
      throw invalidProp('mesh.istio(exitOnZeroActiveConnections)', show(exit), 'must be true or false', 'leave it out (false)');
    }
    return new ServiceMesh('istio', exit);
  }

  private constructor(
    /** `none` or `istio`. */
    public readonly kind: string,
    /** @internal */ public readonly _exitOnZero: boolean,
  ) {}

  /**
   * Pod annotations and an explanation line for a sidecar that must stay up `seconds`.
   * @internal
   */
  public _configure(seconds: number, terms: string): { annotations: { [key: string]: string }; line?: { key: string; label: string; text: string } } {
    if (this.kind !== 'istio') {
      return { annotations: {} };
    }
    const config: any = { terminationDrainDuration: `${seconds}s` };
    if (this._exitOnZero) {
      config.proxyMetadata = { EXIT_ON_ZERO_ACTIVE_CONNECTIONS: 'true' };
    }
    return {
      annotations: { 'proxy.istio.io/config': JSON.stringify(config) },
      line: {
        key: 'istio-termination-drain-duration',
        label: 'istio terminationDrainDuration',
        text: `${terms} = ${seconds}s (Istio's default ${RegistryFacts.ISTIO_TERMINATION_DRAIN.toSeconds()}s would stop the sidecar during the preStop wait)`
          + (this._exitOnZero ? '; EXIT_ON_ZERO_ACTIVE_CONNECTIONS=true' : ''),
      },
    };
  }
}
