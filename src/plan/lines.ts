/*
 * The plan's words: the registry and preStop explanation lines, the annotations (where they go, how they
 * are compacted) and the text of `explain()`. Pure: built from the plan's numbers, no constructs.
 */
import { AuditAnnotations } from '../annotations';
import { ANNOTATION_PREFIX, ExplainLine, renderLines } from '../explain';
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

/** The "Registry and preStop" lines (also in the explanation annotation). @internal */
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

/** What the annotations are made of. @internal */
export interface AnnotationInputs {
  readonly budget: ShutdownBudget;
  readonly registryLines: ExplainLine[];
  readonly rollout: RolloutPlan;
  /** The replicas and autoscaling lines. */
  readonly scalingLines?: ExplainLine[];
  readonly sidecarAnnotations: { [key: string]: string };
  readonly consumerCacheSeconds?: number;
  readonly sources: string[];
}

/** The annotation with every derived number's arithmetic, on the workload (not on the pod template). @internal */
export const EXPLANATION_ANNOTATION = `${ANNOTATION_PREFIX}explanation`;
/** The annotation with the sources of the default numbers, one per line, on the workload. @internal */
export const SOURCES_ANNOTATION = `${ANNOTATION_PREFIX}sources`;

/**
 * Where the annotations go. The pod template carries only what must roll the pods when it changes (the
 * mesh sidecar's configuration here; the preStop script's hash is added by the render, which reads the
 * script): an explanation that is only reworded must not replace a single pod. The explanation goes on the
 * workload's own metadata, compacted into two annotations (the arithmetic, the sources), next to the
 * consumers' cache the audit reads from there.
 * @internal
 */
export function planAnnotations(i: AnnotationInputs): { pod: { [key: string]: string }; workload: { [key: string]: string } } {
  return {
    pod: { ...i.sidecarAnnotations },
    workload: {
      [EXPLANATION_ANNOTATION]: explanationText([...i.budget._lines, ...i.registryLines, ...i.rollout.lines, ...(i.scalingLines ?? [])]),
      [SOURCES_ANNOTATION]: i.sources.join('\n'),
      // The consumers' cache, declared through `consumerCache`, for the audit's propagation rule.
      ...(i.consumerCacheSeconds !== undefined ? { [AuditAnnotations.CONSUMER_CACHE_SECONDS]: String(i.consumerCacheSeconds) } : {}),
    },
  };
}

/**
 * The explanation annotation's text: one `key: arithmetic` line per term, keys as the terms' ids (the names
 * the separate annotations had before they were compacted). Line breaks inside a term become spaces.
 * @internal
 */
export function explanationText(lines: ExplainLine[]): string {
  let out = '';
  for (const l of lines) {
    // most terms are one line: only those with a line break go through the replacement
    const text = l.text.includes('\n') ? l.text.replace(/\s*\n\s*/g, ' ') : l.text;
    out += out === '' ? `${l.key}: ${text}` : `\n${l.key}: ${text}`;
  }
  return out;
}

/**
 * Reads an explanation annotation back into its terms (`key` → arithmetic).
 * @internal
 */
export function parseExplanation(text: string): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z0-9-]+): (.*)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** What `explain()` prints. @internal */
export interface ExplainInputs {
  readonly budget: ShutdownBudget;
  readonly registryLines: ExplainLine[];
  readonly rollout: RolloutPlan;
  /** The replicas and autoscaling lines. */
  readonly scalingLines?: ExplainLine[];
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
    ...(i.scalingLines && i.scalingLines.length > 0 ? ['Replicas:', ...renderLines(i.scalingLines)] : []),
    'Sources:',
    ...i.sources.map(x => `  ${x}`),
  ].join('\n');
}
