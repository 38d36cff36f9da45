/**
 * One term of an explanation: annotation key, human label, arithmetic.
 * @internal
 */
export interface ExplainLine {
  readonly key: string;
  readonly label: string;
  readonly text: string;
}

/**
 * Renders explanation lines as aligned `label = arithmetic` text.
 * @internal
 */
export function renderLines(lines: ExplainLine[]): string[] {
  const width = Math.max(...lines.map(l => l.label.length));
  return lines.map(l => `  ${l.label.padEnd(width)} = ${l.text}`);
}

/**
 * Prefix of every annotation the library writes.
 * @internal
 */
export const ANNOTATION_PREFIX = 'graceful.cdk8s.io/';

/**
 * Explanation lines as annotations, one per term.
 * @internal
 */
export function linesToAnnotations(lines: ExplainLine[], prefix = ANNOTATION_PREFIX): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const l of lines) {
    out[`${prefix}${l.key}`] = l.text;
  }
  return out;
}
