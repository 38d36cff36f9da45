/*
 * The plan's words: the registry and preStop explanation lines, the pod-template annotations and the text
 * of `explain()`. Pure: built from the plan's numbers, no constructs.
 */
import { AuditAnnotations } from '../annotations';
import { ANNOTATION_PREFIX, ExplainLine, linesToAnnotations, renderLines } from '../explain';
import { HttpCall, RegistryBinding } from '../registry/adapter';
import { RolloutPlan } from '../rollout';
import { ShutdownBudget } from '../shutdown/budget';

/** One line for the chosen hook. @internal */
export function describeHook(kind: string, wait: number, preStop: number): string {
  switch (kind) {
    case 'script': return `/bin/sh /etc/graceful/prestop.sh: take out, wait ${wait}s, exit 0 (≤ ${preStop}s in all)`;
    case 'http-get': return `httpGet to the application, which takes itself out and answers after ${wait}s (GRACEFUL_WAIT_SECONDS)`;
    case 'sleep-action': return `lifecycle.preStop.sleep ${preStop}s (Kubernetes ≥ 1.30)`;
    default: return `exec sleep ${preStop}`;
  }
}

/** What the registry and preStop lines are made of. @internal */
export interface RegistryLineInputs {
  readonly binding: RegistryBinding;
  readonly after?: HttpCall;
  readonly calls: number;
  readonly hookKind: string;
  readonly budget: ShutdownBudget;
  readonly sidecarLine?: ExplainLine;
  /** Waits inside the process (switched off or budgeted). */
  readonly waitLines?: ExplainLine[];
}

/** The "Registry and preStop" lines (also pod-template annotations). @internal */
export function registryLines(i: RegistryLineInputs): ExplainLine[] {
  const { binding, after, calls, budget } = i;
  return [
    { key: 'registry', label: 'registry', text: binding.name },
    {
      key: 'take-out',
      label: 'take-out',
      text: binding.takeOut
        ? `${binding.takeOut.description}${binding.takeOut.login ? ', after a login' : ''}`
        : 'none (callers only use the Kubernetes Service)',
    },
    ...(after ? [{ key: 'after-wait', label: 'after the wait', text: `${after.method} ${after.url}` }] : []),
    {
      key: 'pre-stop-calls',
      label: 'call bound',
      text: `${calls} call${calls === 1 ? '' : 's'} × ${binding.callTimeoutSeconds}s = ${calls * binding.callTimeoutSeconds}s (each call is killed at its timeout)`,
    },
    { key: 'pre-stop-hook', label: 'preStop hook', text: describeHook(i.hookKind, budget.propagationSeconds, budget.preStopSeconds) },
    ...binding.notes.map((n, index) => ({ key: `registry-note-${index + 1}`, label: n.label, text: n.text })),
    ...(i.waitLines ?? []),
    ...(i.sidecarLine ? [i.sidecarLine] : []),
  ];
}

/** What the pod-template annotations are made of. @internal */
export interface AnnotationInputs {
  readonly budget: ShutdownBudget;
  readonly registryLines: ExplainLine[];
  readonly rollout: RolloutPlan;
  readonly sidecarAnnotations: { [key: string]: string };
  readonly consumerCacheSeconds?: number;
  readonly sources: string[];
  readonly singleReplicaReason?: string;
}

/**
 * Every derived number as a pod-template annotation (the preStop script's hash is added by the render,
 * which reads the script).
 * @internal
 */
export function planAnnotations(i: AnnotationInputs): { [key: string]: string } {
  return {
    ...linesToAnnotations([...i.budget._lines, ...i.registryLines, ...i.rollout.lines]),
    ...i.sidecarAnnotations,
    // The consumers' cache, declared through `consumerCache`, for the audit's propagation rule.
    ...(i.consumerCacheSeconds !== undefined ? { [AuditAnnotations.CONSUMER_CACHE_SECONDS]: String(i.consumerCacheSeconds) } : {}),
    [`${ANNOTATION_PREFIX}sources`]: i.sources.join('; '),
    ...(i.singleReplicaReason ? { [`${ANNOTATION_PREFIX}single-replica-reason`]: i.singleReplicaReason } : {}),
  };
}

/** What `explain()` prints. @internal */
export interface ExplainInputs {
  readonly budget: ShutdownBudget;
  readonly registryLines: ExplainLine[];
  readonly rollout: RolloutPlan;
  readonly sources: string[];
}

/** The arithmetic behind every derived number: the shutdown budget, the registry and preStop, the rollout. @internal */
export function explainPlan(i: ExplainInputs): string {
  return [
    ...i.budget._explainBody(),
    'Registry and preStop:',
    ...renderLines(i.registryLines),
    'Rollout:',
    ...renderLines(i.rollout.lines),
    'Sources:',
    ...i.sources.map(x => `  ${x}`),
  ].join('\n');
}
