import { RegistryModule } from './module';

/**
 * Alibaba MSE (Microservices Engine): an agent injected into the pod (annotation `msePilotAutoEnable: "on"`)
 * that sits on top of the application's registry client and takes the instance out itself on shutdown
 * ("lossless offline"). Audit-only: the constructs reach MSE through `Registry.custom()` with the agent's
 * offline URL (docs/registries.md), because MSE publishes no propagation numbers the library could cite.
 * @internal
 */
export const MSE: RegistryModule = {
  id: 'mse',
  label: 'Alibaba MSE',
  facts: [],
  noFacts: 'MSE publishes no propagation numbers the library could cite: the audit computes no propagation, and Registry.custom() takes yours',
  constructVia: 'custom',
  audit: {
    recognition: {
      scan: [],
      podSwitch: { key: 'msePilotAutoEnable', value: 'on', evidence: 'pod annotation msePilotAutoEnable: "on" (MSE agent)' },
      yieldsToOthers: true,
    },
    // the agent's local offline endpoint, e.g. http://127.0.0.1:54199/offline
    takeOut: { calls: [/offline/i] },
    agentTakesOut: true,
  },
};
