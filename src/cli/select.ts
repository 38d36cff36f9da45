import { Rule, Rules } from '../rules/engine';

/** Values of `--fail-on` (and of the validation plugin's `failOn`). */
export const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
export type FailOn = typeof FAIL_ON[number];

/** The lowest severity rank (1 info, 2 warning, 3 error) that fails; `none` never fails. */
export function failThreshold(failOn: FailOn): number {
  switch (failOn) {
    case 'info': return 1;
    case 'warning': return 2;
    case 'none': return Number.POSITIVE_INFINITY;
    default: return 3;
  }
}

/**
 * The rules to run: all of them, or only `include`, minus `exclude`, in catalogue order.
 * @throws Error naming an unknown rule id (and the known ones)
 */
export function selectRules(include?: string[], exclude?: string[]): Rule[] {
  const all = Rules.all();
  const known = new Set(all.map(r => r.id));
  const unknown = [...(include ?? []), ...(exclude ?? [])].filter(id => !known.has(id));
  if (unknown.length > 0) {
    throw new Error(`unknown rule id${unknown.length > 1 ? 's' : ''} ${unknown.map(id => `'${id}'`).join(', ')}`
      + ` (known: ${[...known].join(', ') || 'none'})`);
  }
  const only = include && include.length > 0 ? new Set(include) : undefined;
  const skip = new Set(exclude ?? []);
  return all.filter(r => (only === undefined || only.has(r.id)) && !skip.has(r.id));
}
