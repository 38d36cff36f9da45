#!/usr/bin/env node
import { FORMATS, Format, formatReport, LocatedFinding, packageVersion, severityRank, sortLocated } from './format';
import { auditInput, InputError, load, Locator } from './load';
import { FAIL_ON, FailOn, failThreshold, selectRules } from './select';
import { Finding } from '../finding';
import { redact } from '../redact';
import { audit, AuditInput, Rule } from '../rules/engine';

/** Exit codes of the CLI. */
export const EXIT = {
  /** No finding at or above `--fail-on`. */
  CLEAN: 0,
  /** At least one finding at or above `--fail-on`. */
  FINDINGS: 1,
  /**
   * Bad usage; a named input that does not exist, cannot be read or decoded; an empty standard input
   * (without `--allow-empty`); or an internal error.
   */
  USAGE: 2,
} as const;

export const USAGE = `Usage: cdk8s-graceful audit [options] <file|directory|->...

Audits Kubernetes manifests (YAML) and Dockerfiles for lossless termination of Java / Spring Cloud
services: preStop, grace period, probes, rollout, PID 1 and signal handling, registry deregistration.

Inputs:
  <file>        a YAML file (any name) or a Dockerfile (Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile)
  <directory>   searched recursively for *.yaml, *.yml and Dockerfiles
  -             YAML from standard input

Options:
  --format <text|json|sarif>           output format (default: text)
  --fail-on <error|warning|info|none>  lowest severity that makes the exit code 1 (default: error)
  --rules <id,...>                     run only these rules
  --exclude <id,...>                   do not run these rules
  --allow-empty                        accept an empty standard input (exit 0, with a note on stderr)
  -h, --help                           show this help
  -v, --version                        show the version

Exit codes:
  0  no finding at or above --fail-on
  1  at least one finding at or above --fail-on
  2  usage error; an input path that does not exist, cannot be read, or is neither UTF-8 nor UTF-16
     with a byte-order mark; an empty standard input (unless --allow-empty); or an internal error

Files that are not valid YAML (e.g. unrendered Helm templates) are reported on stderr and skipped;
the other files are still audited and the exit code depends on their findings only. Output is the
same whatever order the inputs are given in.
`;

/** What the CLI needs from its environment, so tests can run it in-process. */
export interface Io {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin?: () => string | Buffer;
}

interface AuditArgs {
  readonly inputs: string[];
  readonly format: Format;
  readonly failOn: FailOn;
  readonly rules?: string[];
  readonly exclude?: string[];
  readonly allowEmpty: boolean;
}

class UsageError extends Error {}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code. Everything written
 * to stderr (skip notes, usage and input errors, internal errors) goes through the library's redaction;
 * the report on stdout is redacted by `formatReport`.
 */
export function run(argv: string[], given: Io): number {
  const io: Io = { ...given, stderr: text => given.stderr(redact(text)) };
  try {
    if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') {
      (argv.length === 0 ? io.stderr : io.stdout)(USAGE);
      return argv.length === 0 ? EXIT.USAGE : EXIT.CLEAN;
    }
    if (argv[0] === '-v' || argv[0] === '--version') {
      io.stdout(`${packageVersion()}\n`);
      return EXIT.CLEAN;
    }
    if (argv[0] !== 'audit') {
      throw new UsageError(`unknown command '${argv[0]}' (the command is 'audit')`);
    }
    const rest = argv.slice(1);
    if (rest.includes('-h') || rest.includes('--help')) {
      io.stdout(USAGE);
      return EXIT.CLEAN;
    }
    return runAudit(parseAuditArgs(rest), io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) {
      for (const line of e.message.split('\n')) io.stderr(`cdk8s-graceful: ${line}\n`);
      if (e instanceof UsageError) io.stderr('Run `cdk8s-graceful --help` for usage.\n');
      return EXIT.USAGE;
    }
    throw e;
  }
}

function parseAuditArgs(args: string[]): AuditArgs {
  const inputs: string[] = [];
  let format: Format = 'text';
  let failOn: FailOn = 'error';
  let rules: string[] | undefined;
  let exclude: string[] | undefined;
  let allowEmpty = false;
  let onlyInputs = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (onlyInputs || arg === '-' || !arg.startsWith('-')) {
      inputs.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyInputs = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`${name} needs a value`);
      i++;
      return next;
    };
    switch (name) {
      case '--allow-empty':
        if (eq >= 0) throw new UsageError('--allow-empty takes no value');
        allowEmpty = true;
        break;
      case '--format': {
        const v = value();
        if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got '${v}'`);
        format = v as Format;
        break;
      }
      case '--fail-on': {
        const v = value();
        if (!(FAIL_ON as readonly string[]).includes(v)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}; got '${v}'`);
        failOn = v as FailOn;
        break;
      }
      case '--rules':
        rules = (rules ?? []).concat(list(value()));
        break;
      case '--exclude':
        exclude = (exclude ?? []).concat(list(value()));
        break;
      default:
        throw new UsageError(`unknown option '${arg}'`);
    }
  }
  if (inputs.length === 0) throw new UsageError('no input: give files, directories or - for standard input');
  if (inputs.filter(x => x === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
  return { inputs, format, failOn, rules, exclude, allowEmpty };
}

function runAudit(args: AuditArgs, io: Io): number {
  let rules: Rule[];
  try {
    rules = selectRules(args.rules, args.exclude);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const loaded = load(args.inputs, { cwd: io.cwd, readStdin: io.readStdin, allowEmpty: args.allowEmpty });
  if (loaded.files.length === 0) {
    throw new InputError(`nothing to audit: no *.yaml, *.yml or Dockerfile found in ${args.inputs.slice().sort().join(', ')}`);
  }
  // by file then line, as findings are sorted (skip reasons and notes each come sorted so from load)
  const messages = loaded.skipped.map(s => ({ ...s, what: 'skipped' })).concat(loaded.notes.map(n => ({ ...n, what: 'note' })))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0));
  for (const m of messages) {
    io.stderr(`cdk8s-graceful: ${m.file}${m.line !== undefined ? `:${m.line}` : ''}: ${m.what}: ${m.reason}\n`);
  }
  const locator = new Locator(loaded.objects);
  const { findings: raw, failures } = runRules(auditInput(loaded), rules);
  const findings: LocatedFinding[] = sortLocated(raw.map(finding => ({ finding, file: locator.fileOf(finding), line: locator.lineOf(finding) })));
  io.stdout(formatReport({ findings, rules, skipped: loaded.skipped, notes: loaded.notes, fileCount: loaded.files.length }, args.format));
  for (const f of failures) {
    io.stderr(`cdk8s-graceful: internal error in rule ${f.rule} (its findings are missing; please report it): ${f.error}\n`);
  }
  if (failures.length > 0) return EXIT.USAGE;
  const threshold = failThreshold(args.failOn);
  return findings.some(f => severityRank(f.finding.severity) >= threshold) ? EXIT.FINDINGS : EXIT.CLEAN;
}

/**
 * Runs the audit. Should a rule throw, the rules are run again one by one so that the others still
 * report and the failing one is named.
 */
function runRules(input: AuditInput, rules: Rule[]): { findings: Finding[]; failures: { rule: string; error: string }[] } {
  try {
    return { findings: audit(input, { rules }), failures: [] };
  } catch {
    const findings: Finding[] = [];
    const failures: { rule: string; error: string }[] = [];
    for (const rule of rules) {
      try {
        for (const f of audit(input, { rules: [rule] })) findings.push(f);
      } catch (e) {
        failures.push({ rule: rule.id, error: (e as Error)?.stack ?? String(e) });
      }
    }
    return { findings, failures };
  }
}

function list(value: string): string[] {
  return value.split(',').map(s => s.trim()).filter(s => s !== '');
}

if (require.main === module) {
  let code: number;
  try {
    code = run(process.argv.slice(2), {
      cwd: process.cwd(),
      stdout: text => process.stdout.write(text),
      stderr: text => process.stderr.write(text),
    });
  } catch (e) {
    process.stderr.write(redact(`cdk8s-graceful: internal error: ${(e as Error)?.stack ?? e}\n`));
    code = EXIT.USAGE;
  }
  process.exitCode = code;
}
