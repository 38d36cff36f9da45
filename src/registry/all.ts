import { CONSUL } from './consul';
import { CUSTOM } from './custom';
import { EUREKA } from './eureka';
import { KUBERNETES_SERVICE } from './kubernetes';
import { RegistryModule } from './module';
import { MSE } from './mse';
import { NACOS } from './nacos';
import { SPRING_CLOUD } from './spring-cloud';

/**
 * Every registry module, registered once. The constructs (`Registry._bind`) dispatch through this list and
 * the audit iterates it; adding a registry is one new module file, one entry here and its tests (see
 * docs/recipes/add-a-registry.md). The order is the order of docs/registries.md's table.
 * @internal
 */
export const REGISTRY_MODULES: readonly RegistryModule[] = [
  KUBERNETES_SERVICE,
  NACOS,
  CONSUL,
  EUREKA,
  MSE,
  SPRING_CLOUD,
  CUSTOM,
];

/** The module of an id (the audit's registry name). @internal */
export function registryModule(id: string): RegistryModule | undefined {
  return REGISTRY_MODULES.find(m => m.id === id);
}

/** The module whose construct side serves a `Registry` kind. @internal */
export function moduleOfKind(kind: string): RegistryModule | undefined {
  return REGISTRY_MODULES.find(m => m.construct?.kind === kind);
}
