/*
 * How the constructs' warnings reach the person running `cdk8s synth`. cdk8s has validation errors only
 * (`node.addValidation`, printed as `[path] message` when synth fails) and no warning channel, so warnings
 * are written to standard error during the synth's validation, in the same `[path] message` form — the
 * cdk8s CLI passes the app's standard error through, and its standard output (the manifests with
 * `--stdout`) stays clean. A context key (or, without it, the environment variable
 * CDK8S_GRACEFUL_WARNINGS) turns them into errors (synth fails) or off.
 */
import { IConstruct } from 'constructs';
import { GracefulConfigError } from './errors';
import { Finding, FindingSeverity } from './finding';

/**
 * The context key that decides what happens to warnings at synth: `print` (default: written to standard
 * error), `fail` (reported as validation errors: synth fails and writes nothing), `ignore` (only in
 * `findings`). Set it on the App or a Chart before synth: `app.node.setContext('cdk8s-graceful:warnings', 'fail')`;
 * without it, the environment variable {@link WARNINGS_ENV} decides, else `print`.
 * @internal
 */
export const WARNINGS_CONTEXT = 'cdk8s-graceful:warnings';

/**
 * The environment variable that sets the mode when the context key is not set (a CI job can fail on warnings,
 * or a test suite silence them, without a code change): `CDK8S_GRACEFUL_WARNINGS=fail`. The context key wins.
 * @internal
 */
export const WARNINGS_ENV = 'CDK8S_GRACEFUL_WARNINGS';

/** The values of {@link WARNINGS_CONTEXT}. @internal */
export const WARNING_MODES = ['print', 'fail', 'ignore'] as const;

/** One warning as printed or reported: `rule-id: message (Kind path). Fix: …`. @internal */
export function warningText(f: Finding): string {
  const where = f.path ? ` (${f.object?.kind ?? 'object'} ${f.path})` : '';
  return `${f.id}: ${f.message}${where}. Fix: ${f.remediation}`;
}

/**
 * Handles the warnings among a construct's findings at synth, by the mode in {@link WARNINGS_CONTEXT}.
 * @param write where printed lines go (standard error by default)
 * @returns validation error messages (mode `fail`), else none
 * @internal
 */
export function synthWarnings(scope: IConstruct, findings: Finding[], write: (line: string) => void = defaultWrite): string[] {
  const fromContext = scope.node.tryGetContext(WARNINGS_CONTEXT);
  const fromEnv = process.env[WARNINGS_ENV];
  const mode = fromContext ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : 'print');
  if (!(WARNING_MODES as readonly string[]).includes(mode)) {
    const where = fromContext !== undefined ? `context '${WARNINGS_CONTEXT}'` : `environment variable ${WARNINGS_ENV}`;
    return [new GracefulConfigError(`${where} (${JSON.stringify(mode)}) must be one of ${WARNING_MODES.join(', ')}. `
      + 'Fix: set it to "fail" to fail synth on warnings, "ignore" to keep them in `findings` only, or leave it out to print them').message];
  }
  const warnings = findings.filter(f => f.severity === FindingSeverity.WARNING);
  if (mode === 'ignore' || warnings.length === 0) return [];
  if (mode === 'fail') {
    // say where fail came from, so the reader knows what to change
    const why = fromContext !== undefined ? `context ${WARNINGS_CONTEXT}=fail` : `${WARNINGS_ENV}=fail`;
    return warnings.map(f => `warning ${warningText(f)} (${why})`);
  }
  for (const f of warnings) {
    write(`[${scope.node.path}] warning ${warningText(f)}`);
  }
  return [];
}

function defaultWrite(line: string): void {
  process.stderr.write(`${line}\n`);
}
