import { RegistryBinding, RegistryContext } from './adapter';
import { moduleOfKind } from './all';
import { ConsulRegistryProps } from './consul';
import { CustomRegistryProps } from './custom';
import { EurekaRegistryProps } from './eureka';
import { KUBERNETES_SERVICE } from './kubernetes';
import { NacosRegistryProps } from './nacos';
import { SpringCloudRegistryProps } from './spring-cloud';

/**
 * Where the service's callers find it, and so how it is taken out before its pods stop and how long the
 * news takes to reach them. The wait in preStop covers the slowest path (registry → consumers, and
 * Kubernetes endpoints → kube-proxy / ingress); the grace period grows with it.
 * See [docs/registries.md](docs/registries.md).
 */
export class Registry {
  /**
   * Callers go through a Kubernetes Service or Ingress only: nothing to take out; the preStop hook waits
   * for endpoint propagation.
   */
  public static kubernetesService(): Registry {
    return new Registry('kubernetes-service', undefined);
  }

  /**
   * Nacos (1.x or 2.x). In-process take-out (`DOWN` through the actuator) by default, or the open API.
   *
   * @default props - Nacos 2.x, in-process take-out, Spring Cloud LoadBalancer consumers
   */
  public static nacos(props?: NacosRegistryProps): Registry {
    return new Registry('nacos', props);
  }

  /**
   * Consul. In-process take-out (`OUT_OF_SERVICE` → maintenance mode) by default, or agent maintenance
   * mode from the hook; TTL heartbeat checks and a critical timeout so report 001 cannot happen.
   *
   * @default props - in-process take-out, TTL heartbeat, 1 min critical timeout, Spring Cloud LoadBalancer consumers
   */
  public static consul(props?: ConsulRegistryProps): Registry {
    return new Registry('consul', props);
  }

  /**
   * Eureka. In-process take-out (`OUT_OF_SERVICE`) by default, or the REST status override.
   *
   * @default props - in-process take-out, 30 s server cache + 30 s client fetch, Spring Cloud LoadBalancer consumers
   */
  public static eureka(props?: EurekaRegistryProps): Registry {
    return new Registry('eureka', props);
  }

  /**
   * Any registry behind Spring Cloud's `ServiceRegistry` (the `/actuator/serviceregistry` endpoint).
   */
  public static springCloud(props: SpringCloudRegistryProps): Registry {
    return new Registry('spring-cloud', props);
  }

  /**
   * A registry the library does not know: your take-out call or command, and your numbers.
   */
  public static custom(props: CustomRegistryProps): Registry {
    return new Registry('custom', props);
  }

  /**
   * @param kind which adapter
   * @param props its props, checked when the workload is built (so errors carry the construct path)
   */
  private constructor(public readonly kind: string, private readonly props: any) {}

  /** @internal */
  public _bind(ctx: RegistryContext): RegistryBinding {
    // through the list of registry modules (src/registry/all.ts); an unknown kind is a Kubernetes Service, as before
    const side = moduleOfKind(this.kind)?.construct ?? KUBERNETES_SERVICE.construct!;
    return side.bind(this.props, ctx);
  }
}
