import { Rule } from './rule';

/**
 * Every rule, in catalogue order. One line per rule.
 * @internal
 */
export const ALL_RULES: readonly Rule[] = [
];
