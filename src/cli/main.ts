#!/usr/bin/env node
import { Config, findConfig, readConfig } from './config';
import { FORMATS, Format, formatReportChunks, formatRules, Report, JudgedObject, LocatedFinding, objectLabelOf, packageVersion, RULES_FORMATS, RulesFormat, severityRank, sortLocated } from './format';
import { auditInput, InputError, load, Locator } from './load';
import { FAIL_ON, FailOn, failThreshold, selectRules } from './select';
import { Finding, FindingSeverity } from '../finding';
import { redact } from '../redact';
import { WorkloadClassification } from '../rules/classification';
import { audit, AuditInput, auditReport, Rule, Rules } from '../rules/engine';

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
       cdk8s-graceful rules [--format text|json]

Audits Kubernetes manifests (YAML) and Dockerfiles for lossless termination of Java / Spring Cloud
services: preStop, grace period, probes, rollout, PID 1 and signal handling, registry deregistration.

Commands:
  audit         audit the inputs (below)
  rules         list the rules: id, severity, title (--format json for all their fields)

Inputs:
  <file>        a YAML file (any name) or a Dockerfile (Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile)
  <directory>   searched recursively for *.yaml, *.yml and Dockerfiles; a Helm chart (Chart.yaml) is
                rendered with \`helm template\`, a kustomization with \`kubectl kustomize\`, when the tool
                is on PATH (else read as files, with a note)
  -             YAML from standard input

Options:
  --format <text|json|json-report|sarif|junit>
                                       output format (default: text; json-report: the findings and
                                       how each workload was judged)
  --fail-on <error|warning|info|none>  lowest severity that makes the exit code 1 (default: error)
  --rules <id,...>                     run only these rules
  --exclude <id,...>                   do not run these rules
  --config <file>                      read this configuration file (default: the first
                                       .cdk8s-graceful.yaml in the current directory or a parent,
                                       up to the repository root)
  --no-config                          read no configuration file
  --allow-empty                        accept an empty standard input (exit 0, with a note on stderr)
  -h, --help                           show this help
  -v, --version                        show the version

Exit codes:
  0  no finding at or above --fail-on
  1  at least one finding at or above --fail-on
  2  usage error; an input path that does not exist, cannot be read, or is neither UTF-8 nor UTF-16
     with a byte-order mark; an empty standard input (unless --allow-empty); helm or kubectl failing
     (or taking more than 60 s) on a chart or kustomization; an invalid configuration file; or an
     internal error

The configuration file sets rules.include, rules.exclude, severity (per rule id) and fail-on;
options given on the command line win over it (see docs/audit.md).

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
  /** Undefined when not given on the command line. */
  readonly failOn?: FailOn;
  readonly rules?: string[];
  readonly exclude?: string[];
  readonly allowEmpty: boolean;
  /** `--config`: undefined to look for one, false for `--no-config`. */
  readonly config?: string | false;
}

class UsageError extends Error {}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code. Everything written
 * to stderr (skip notes, usage and input errors, internal errors) goes through the library's redaction;
 * the report on stdout is redacted by `formatReportChunks`.
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
    if (argv[0] !== 'audit' && argv[0] !== 'rules') {
      throw new UsageError(`unknown command '${argv[0]}' (the commands are 'audit' and 'rules')`);
    }
    const rest = argv.slice(1);
    if (rest.includes('-h') || rest.includes('--help')) {
      io.stdout(USAGE);
      return EXIT.CLEAN;
    }
    if (argv[0] === 'rules') {
      io.stdout(redact(formatRules(Rules.all(), parseRulesArgs(rest))));
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

function parseRulesArgs(args: string[]): RulesFormat {
  let format: RulesFormat = 'text';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (name !== '--format') throw new UsageError(arg.startsWith('-') ? `unknown option '${arg}'` : `'rules' takes no input; got '${arg}'`);
    const v = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (v === undefined) throw new UsageError('--format needs a value');
    if (!(RULES_FORMATS as readonly string[]).includes(v)) throw new UsageError(`--format must be one of ${RULES_FORMATS.join(', ')}; got '${v}'`);
    format = v as RulesFormat;
  }
  return format;
}

function parseAuditArgs(args: string[]): AuditArgs {
  const inputs: string[] = [];
  let format: Format = 'text';
  let failOn: FailOn | undefined;
  let rules: string[] | undefined;
  let exclude: string[] | undefined;
  let allowEmpty = false;
  let config: string | false | undefined;
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
      case '--no-config':
        if (eq >= 0) throw new UsageError('--no-config takes no value');
        if (typeof config === 'string') throw new UsageError('--config and --no-config exclude each other');
        config = false;
        break;
      case '--config': {
        const v = value();
        if (config === false) throw new UsageError('--config and --no-config exclude each other');
        if (v === '') throw new UsageError('--config needs a value');
        config = v;
        break;
      }
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
  return { inputs, format, failOn, rules, exclude, allowEmpty, config };
}

/** The configuration that applies: the one named by `--config`, the one found, or none. */
function configOf(args: AuditArgs, cwd: string): Config | undefined {
  if (args.config === false) return undefined;
  const file = args.config ?? findConfig(cwd);
  return file === undefined ? undefined : readConfig(file, cwd);
}

function runAudit(args: AuditArgs, io: Io): number {
  const config = configOf(args, io.cwd);
  // the command line wins: --rules replaces rules.include (and runs its rules even when the file
  // excludes them), --exclude replaces rules.exclude, --fail-on replaces fail-on
  const include = args.rules ?? config?.include;
  const exclude = args.exclude ?? config?.exclude?.filter(id => args.rules === undefined || !args.rules.includes(id));
  const failOn: FailOn = args.failOn ?? config?.failOn ?? 'error';
  const overrides = config?.severity ?? {};
  let rules: Rule[];
  try {
    rules = selectRules(include, exclude);
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
  const { findings: raw, failures, workloads } = runRules(auditInput(loaded), rules);
  const findings: LocatedFinding[] = sortLocated(raw.map(f => overrides[f.id] ? { ...f, severity: overrides[f.id] } : f)
    .map(finding => ({ finding, file: locator.fileOf(finding), line: locator.lineOf(finding) })));
  const threshold = failThreshold(failOn);
  const judged: JudgedObject[] = [
    ...loaded.objects.map(o => ({
      file: o.document.file ?? '',
      object: objectLabelOf(o.document.object),
    })),
    ...loaded.dockerfiles.map(d => ({ file: d.file, object: 'Dockerfile' })),
  ];
  const report: Report = {
    findings,
    rules: withSeverities(rules, overrides),
    skipped: loaded.skipped,
    notes: loaded.notes,
    fileCount: loaded.files.length,
    files: loaded.files.map(f => f.name),
    judged,
    failThreshold: threshold,
    workloads: workloads.map(workload => {
      const asFinding = { id: '', severity: FindingSeverity.INFO, message: '', remediation: '', object: workload.object };
      return { workload, file: locator.fileOf(asFinding), line: locator.lineOf(asFinding) };
    }),
  };
  // written piece by piece: a large report is never one string beside the parsed input
  for (const chunk of formatReportChunks(report, args.format)) io.stdout(chunk);
  for (const f of failures) {
    io.stderr(`cdk8s-graceful: internal error in rule ${f.rule} (its findings are missing; please report it): ${f.error}\n`);
  }
  if (failures.length > 0) return EXIT.USAGE;
  return findings.some(f => severityRank(f.finding.severity) >= threshold) ? EXIT.FINDINGS : EXIT.CLEAN;
}

/**
 * Runs the audit. Should a rule throw, the rules are run again one by one so that the others still
 * report and the failing one is named.
 */
function runRules(input: AuditInput, rules: Rule[]):
{ findings: Finding[]; failures: { rule: string; error: string }[]; workloads: WorkloadClassification[] } {
  try {
    const report = auditReport(input, { rules });
    return { findings: report.findings, failures: [], workloads: report.workloads };
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
    return { findings, failures, workloads: auditReport(input, { rules: [] }).workloads };
  }
}

/** The rules with the severities of the configuration file (the SARIF rule levels show them). */
function withSeverities(rules: Rule[], overrides: Record<string, FindingSeverity>): Rule[] {
  return rules.map(r => (overrides[r.id] && overrides[r.id] !== r.severity
    ? Object.create(r, { severity: { value: overrides[r.id], enumerable: true } }) as Rule
    : r));
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
