/*
 * The pods' labels and annotations and the selector the Deployment, the Service and the
 * PodDisruptionBudget use: `metadata.labels`, `podMetadata`, `selectorLabels` and `stableSelector`, checked
 * together. Pure: no constructs.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { invalidProp, show } from '../errors';
import { checkLabel } from './checks';

/** The label key of the stable selector (`stableSelector: true`). @internal */
export const STABLE_SELECTOR_LABEL = 'graceful.cdk8s.io/workload';

/** Prefixes of the keys the library and cdk8s write themselves. */
const RESERVED_PREFIXES = ['graceful.cdk8s.io/', 'cdk8s.io/'];

/**
 * What the render puts on the pods and selects them by.
 * @internal
 */
export interface LabelPlan {
  /** The selector labels; undefined: cdk8s-plus's `cdk8s.io/metadata.addr` (the construct path). */
  readonly selector?: { [key: string]: string };
  /** The pod template's labels besides the selector's (metadata.labels, then podMetadata.labels). */
  readonly podLabels: { [key: string]: string };
  /** The user's pod-template annotations. */
  readonly podAnnotations: { [key: string]: string };
}

/** The props this file reads. @internal */
export interface LabelProps {
  readonly metadata?: ApiObjectMetadata;
  readonly podMetadata?: ApiObjectMetadata;
  readonly selectorLabels?: { [key: string]: string };
  readonly stableSelector?: boolean;
}

/**
 * Checks the pod metadata and the selector; `id` is the construct id (the stable selector's value when
 * `metadata.name` is not given).
 * @internal
 */
export function planLabels(props: LabelProps, id: string): LabelPlan {
  const pod = props.podMetadata;
  if (pod !== undefined && (pod === null || typeof pod !== 'object' || Array.isArray(pod))) {
    throw invalidProp('podMetadata', show(pod), 'is not a metadata object', 'give { labels: { … }, annotations: { … } }');
  }
  for (const key of ['name', 'namespace', 'finalizers', 'ownerReferences'] as const) {
    if (pod?.[key] !== undefined) {
      throw invalidProp(`podMetadata.${key}`, show(pod[key]), 'is not a pod template field: pods get generated names and the Deployment\'s namespace',
        `remove it${key === 'name' || key === 'namespace' ? ` (metadata.${key} names the Deployment)` : ''}`);
    }
  }
  const userLabels = { ...(props.metadata?.labels ?? {}) };
  for (const [k, v] of Object.entries(pod?.labels ?? {})) {
    checkLabel(k, v, 'podMetadata.labels');
    reserved('podMetadata.labels', k);
    userLabels[k] = v;
  }
  const podAnnotations: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(pod?.annotations ?? {})) {
    if (typeof v !== 'string') {
      throw invalidProp(`podMetadata.annotations.${k}`, show(v), 'is not a string', 'give the annotation\'s value as a string');
    }
    reserved('podMetadata.annotations', k);
    podAnnotations[k] = v;
  }
  const selector = planSelector(props, id);
  for (const [k, v] of Object.entries(selector ?? {})) {
    if (userLabels[k] !== undefined && userLabels[k] !== v) {
      throw invalidProp(`${pod?.labels?.[k] !== undefined ? 'podMetadata' : 'metadata'}.labels.${k}`, show(userLabels[k]),
        `conflicts with the selector label ${k}: ${JSON.stringify(v)} (the pods must carry the selector's value)`,
        'remove the label, or give the same value');
    }
  }
  return { selector, podLabels: userLabels, podAnnotations };
}

function planSelector(props: LabelProps, id: string): { [key: string]: string } | undefined {
  const given = props.selectorLabels;
  if (props.stableSelector !== undefined && typeof props.stableSelector !== 'boolean') {
    throw invalidProp('stableSelector', show(props.stableSelector), 'is not a boolean', 'give true or false');
  }
  if (given !== undefined) {
    if (props.stableSelector) {
      throw invalidProp('stableSelector', 'true', 'cannot be combined with selectorLabels, which already sets the selector', 'remove one of them');
    }
    if (given === null || typeof given !== 'object' || Array.isArray(given) || Object.keys(given).length === 0) {
      throw invalidProp('selectorLabels', show(given), 'must be a non-empty map of labels',
        'give the existing Deployment\'s spec.selector.matchLabels, e.g. { app: "orders" }, or leave it out');
    }
    for (const [k, v] of Object.entries(given)) {
      checkLabel(k, v, 'selectorLabels');
      if (k.startsWith('cdk8s.io/') && k !== 'cdk8s.io/metadata.addr') reserved('selectorLabels', k);
    }
    return { ...given };
  }
  if (!props.stableSelector) return undefined;
  const value = props.metadata?.name ?? id;
  try {
    checkLabel(STABLE_SELECTOR_LABEL, value, 'stableSelector');
  } catch {
    throw invalidProp('stableSelector', 'true',
      `labels the pods ${STABLE_SELECTOR_LABEL}: <metadata.name, else the construct id>, and the construct id ${JSON.stringify(id)} is not a label value`,
      'give metadata.name (e.g. "orders"), or selectorLabels');
  }
  return { [STABLE_SELECTOR_LABEL]: value };
}

function reserved(prop: string, key: string): void {
  const prefix = RESERVED_PREFIXES.find(p => key.startsWith(p));
  if (prefix !== undefined) {
    throw invalidProp(`${prop}.${key}`, show(key), `uses the prefix ${prefix}, which the library or cdk8s writes itself`,
      prefix === 'graceful.cdk8s.io/' ? 'use another key; suppress a rule with suppress(ruleId, reason)' : 'use another key');
  }
}

/**
 * A pod annotation the user gives that the library sets too (the mesh sidecar's configuration) is refused
 * rather than silently replaced.
 * @internal
 */
export function checkPodAnnotationConflicts(user: { [key: string]: string }, ours: { [key: string]: string }, why: string): void {
  for (const key of Object.keys(user)) {
    if (ours[key] !== undefined) {
      throw invalidProp(`podMetadata.annotations.${key}`, show(user[key]), `is set by the library from ${why} (${JSON.stringify(ours[key])})`,
        'remove it from podMetadata and configure it through the prop that sets it');
    }
  }
}
