/**
 * End-to-end checks of the PID 1 rules in src/process/pid1.ts: the commands are RUN as PID 1 of a fresh PID
 * namespace (`unshare --pid --fork --mount-proc`, the same position a container's command has), SIGTERM is
 * sent to that PID 1 the way the kubelet does, and we watch whether a stand-in JVM receives it and finishes
 * its graceful shutdown.
 *
 * Needs Linux, root (or unprivileged user namespaces) and: dash, bash, tini, dumb-init, busybox
 * (Debian/Ubuntu: `apt-get install -y tini dumb-init busybox`). The suite is skipped, with the reason in its
 * title, only when `unshare` cannot create a PID namespace.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { killQuietly, namespaceInit, probeUnshare, sleep, which } from './fixtures/harness';
import { analyzeArgv, ProcessInit, renderProcess } from '../../src/process/pid1';

/** How long the stand-in JVM takes to drain after SIGTERM. */
const DRAIN_MS = 500;
/** How long we wait after SIGTERM before judging (a graceful run ends after ~DRAIN_MS). */
const SETTLE_MS = 2000;
const TEST_TIMEOUT_MS = 20_000;

const NAMES = { command: 'command', args: 'args' };

/**
 * The stand-in JVM, installed as `java` first on PATH. Like the JVM it handles SIGTERM (so it may be PID 1),
 * and its "graceful shutdown" takes DRAIN_MS: the `.drained` marker exists only if nothing killed it
 * meanwhile. It loops on short sleeps so the handler runs promptly.
 */
const FAKE_JAVA = `#!/bin/sh
trap 'echo "$$" > "$MARKER.term"; sleep ${DRAIN_MS / 1000}; echo "$$" > "$MARKER.drained"; exit 0' TERM
echo "$$" > "$MARKER.started"
while :; do sleep 0.1; done
`;

type Shell = 'dash' | 'bash' | 'busybox';

interface Outcome {
  /** The stand-in JVM started (and installed its handler) before SIGTERM was sent. */
  readonly started: boolean;
  /** Its pid inside the namespace (1 when it is PID 1 itself). */
  readonly javaPid?: number;
  /** Its SIGTERM handler ran. */
  readonly term: boolean;
  /** Its SIGTERM handler ran to the end: the graceful shutdown completed. */
  readonly drained: boolean;
  /** Everything in the namespace exited within SETTLE_MS of SIGTERM. */
  readonly exited: boolean;
  /** Milliseconds from SIGTERM to the end of the namespace, when it ended. */
  readonly exitMs?: number;
  /** stdout + stderr of the run, for failure messages. */
  readonly output: string;
}

const probe = probeUnshare();
const UNSHARE_FLAGS = 'flags' in probe ? probe.flags : [];

let toolPaths: Record<Shell, string> | undefined;
function tools(): Record<Shell, string> {
  if (toolPaths === undefined) {
    const missing = ['dash', 'bash', 'busybox', 'tini', 'dumb-init'].filter(t => !which(t));
    if (missing.length > 0) {
      throw new Error(`missing ${missing.join(', ')}: these tests run the commands for real (Debian/Ubuntu: apt-get install -y tini dumb-init busybox)`);
    }
    toolPaths = { dash: which('dash')!, bash: which('bash')!, busybox: which('busybox')! };
  }
  return toolPaths;
}

/** Runs under way, each with the function that SIGKILLs what is left of it. */
const live = new Map<ChildProcess, () => void>();

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
  return true;
}

/**
 * Runs `argv` as PID 1 of a new PID namespace, with the stand-in JVM as `java` and `sh` = `shell` first on
 * PATH; once the JVM runs, sends SIGTERM to PID 1 and watches for SETTLE_MS. Whatever is left is SIGKILLed.
 */
async function runAsPid1(argv: string[], shell: Shell = 'dash'): Promise<Outcome> {
  const shells = tools();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pid1-e2e-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'java'), FAKE_JAVA, { mode: 0o755 });
  fs.symlinkSync(shells[shell], path.join(bin, 'sh'));
  const marker = path.join(dir, 'java');
  const has = (suffix: string) => fs.existsSync(`${marker}.${suffix}`);

  const child = spawn('unshare', [...UNSHARE_FLAGS, ...argv], {
    cwd: dir,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, MARKER: marker },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let pid1: number | undefined;
  const killAll = () => {
    // SIGKILL to PID 1 ends the whole namespace; then unshare itself
    if (pid1 === undefined) {
      try {
        pid1 = namespaceInit(child.pid!);
      } catch {
        // not forked yet, or already gone
      }
    }
    killQuietly(pid1, 'SIGKILL');
    child.kill('SIGKILL');
  };
  live.set(child, killAll);
  let output = '';
  child.stdout!.on('data', d => output += d);
  child.stderr!.on('data', d => output += d);
  let endedAt: number | undefined;
  const ended = new Promise<void>(resolve => {
    child.on('exit', () => {
      endedAt = Date.now();
      resolve();
    });
    child.on('error', err => {
      output += String(err);
      endedAt = Date.now();
      resolve();
    });
  });

  try {
    const started = await waitFor(() => has('started') || endedAt !== undefined, 10_000) && has('started');
    if (!started || endedAt !== undefined) {
      return { started, term: false, drained: false, exited: endedAt !== undefined, output };
    }
    pid1 = namespaceInit(child.pid!);
    const termAt = Date.now();
    process.kill(pid1, 'SIGTERM');
    const exited = await waitFor(() => endedAt !== undefined, SETTLE_MS);
    if (!exited) {
      killQuietly(pid1, 'SIGKILL'); // PID 1 gone: the kernel kills the rest of the namespace
      await ended;
    }
    return {
      started,
      javaPid: Number(fs.readFileSync(`${marker}.started`, 'utf8').trim()),
      term: has('term'),
      drained: has('drained'),
      exited,
      exitMs: exited ? endedAt! - termAt : undefined,
      output,
    };
  } finally {
    if (endedAt === undefined) {
      killAll();
      await ended;
    }
    child.stdout!.destroy();
    child.stderr!.destroy();
    live.delete(child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function killLeftovers(): void {
  for (const killAll of live.values()) {
    killAll();
  }
  live.clear();
}

const rendered = (r: { command?: string[]; args?: string[] }) => [...(r.command ?? []), ...(r.args ?? [])];

if (!('flags' in probe)) {
  // jest does not list the titles of a skipped file: say why here
  console.warn(`test/e2e/pid1.e2e.test.ts skipped: ${probe.reason}`);
}
const describeE2e = 'flags' in probe ? describe : describe.skip;
const title = 'flags' in probe ? 'PID 1, run for real' : `PID 1, run for real (skipped: ${probe.reason})`;

describeE2e(title, () => {
  // Each run cleans up after itself (finally in runAsPid1); this catches anything a failure left behind.
  // Not afterEach: the tests run concurrently, so it would kill runs of tests still in progress.
  afterAll(killLeftovers);

  describe('rendered commands: SIGTERM reaches the JVM, which drains and exits', () => {
    const cases: { name: string; argv: () => string[]; shell?: Shell; javaPid: number }[] = [
      {
        name: 'exec form',
        argv: () => rendered(renderProcess(ProcessInit.none(), ['java', '-jar', '/app.jar'], undefined, NAMES)),
        javaPid: 1,
      },
      {
        name: 'sh -c "…; exec java" under dash',
        argv: () => rendered(renderProcess(ProcessInit.none(), ['sh', '-c', 'echo start; exec java -jar /app.jar'], undefined, NAMES)),
        javaPid: 1,
      },
      {
        name: 'sh -c "…; exec java" under bash',
        argv: () => rendered(renderProcess(ProcessInit.none(), ['sh', '-c', 'echo start; exec java -jar /app.jar'], undefined, NAMES)),
        shell: 'bash',
        javaPid: 1,
      },
      {
        name: 'bash -c "…; exec java"',
        argv: () => rendered(renderProcess(ProcessInit.none(), ['bash', '-c', 'echo start; exec java -jar /app.jar'], undefined, NAMES)),
        javaPid: 1,
      },
      {
        name: 'busybox sh -c "…; exec java"',
        argv: () => rendered(renderProcess(ProcessInit.none(), ['busybox', 'sh', '-c', 'echo start; exec java -jar /app.jar'], undefined, NAMES)),
        javaPid: 1,
      },
      {
        name: 'command + args, exec form',
        argv: () => rendered(renderProcess(ProcessInit.none(), ['java'], ['-jar', '/app.jar'], NAMES)),
        javaPid: 1,
      },
      {
        name: 'ProcessInit.tini(), exec form',
        argv: () => rendered(renderProcess(ProcessInit.tini(), ['java', '-jar', '/app.jar'], undefined, NAMES)),
        javaPid: 2,
      },
      {
        name: 'ProcessInit.tini(), sh -c "exec java" (dash)',
        argv: () => rendered(renderProcess(ProcessInit.tini(), ['sh', '-c', 'exec java -jar /app.jar'], undefined, NAMES)),
        javaPid: 2,
      },
      {
        name: 'ProcessInit.dumbInit(), sh -c "exec java" (dash)',
        argv: () => rendered(renderProcess(ProcessInit.dumbInit(), ['sh', '-c', 'exec java -jar /app.jar'], undefined, NAMES)),
        javaPid: 2,
      },
      {
        name: 'ProcessInit.tini(), a dash wrapper that traps TERM and waits for java in the foreground',
        argv: () => rendered(renderProcess(ProcessInit.tini(), ['sh', '-c', 'trap "echo stopping" TERM; java -jar /app.jar'], undefined, NAMES)),
        javaPid: 3,
      },
      {
        name: 'ProcessInit.dumbInit(), a dash wrapper that traps TERM and waits for java in the foreground',
        argv: () => rendered(renderProcess(ProcessInit.dumbInit(), ['sh', '-c', 'trap "echo stopping" TERM; java -jar /app.jar'], undefined, NAMES)),
        javaPid: 3,
      },
    ];

    test.concurrent.each(cases)('$name', async ({ argv, shell, javaPid }) => {
      const command = argv();
      expect(analyzeArgv(command)).toEqual({ ok: true, certain: true });
      const outcome = await runAsPid1(command, shell);
      expect({ command, ...outcome }).toMatchObject({ started: true, javaPid, term: true, drained: true, exited: true });
      expect(outcome.exitMs).toBeGreaterThanOrEqual(DRAIN_MS);
      expect(outcome.exitMs).toBeLessThan(DRAIN_MS + 3000); // generous: process start-up on a loaded machine
    }, TEST_TIMEOUT_MS);
  });

  describe('negative controls: what the library rejects really loses the graceful shutdown', () => {
    test('dash as PID 1 without exec ignores SIGTERM: the JVM never hears of it', async () => {
      const argv = ['sh', '-c', 'echo start; java -jar /app.jar'];
      expect(analyzeArgv(argv)).toMatchObject({ ok: false, certain: true });
      expect(() => renderProcess(ProcessInit.none(), argv, undefined, NAMES)).toThrow(/'command'.*exec|exec.*'command'/s);
      const outcome = await runAsPid1(argv);
      // javaPid 2: dash stayed PID 1 and forked the JVM
      expect({ argv, ...outcome }).toMatchObject({ started: true, javaPid: 2, term: false, drained: false, exited: false });
    }, TEST_TIMEOUT_MS);

    test('renderProcess names the command and the fix', () => {
      expect(() => renderProcess(ProcessInit.none(), ['sh', '-c', 'echo start; java -jar /app.jar'], undefined, NAMES))
        .toThrow(/command.*start the last command with exec/s);
      expect(() => renderProcess(ProcessInit.none(), undefined, ['sh', '-c', 'echo start; java -jar /app.jar'], NAMES))
        .toThrow(/^'args'.*exec/s);
    });

    // An init with group forwarding does not rescue a shell that does not exec: the shell is the init's
    // child, it dies on the forwarded SIGTERM, the init exits with it and the kernel kills the JVM mid-drain.
    // (Under bash and busybox a lone `java …` is exec'd by the shell itself, so it happens to work there.)
    test.concurrent.each([
      { name: 'tini -g', init: ProcessInit.tini() },
      { name: 'dumb-init', init: ProcessInit.dumbInit() },
    ])('$name in front of a dash wrapper without exec: the JVM is killed before it has drained', async ({ init }) => {
      const argv = [...init.prefix, 'sh', '-c', 'java -jar /app.jar'];
      expect(analyzeArgv(argv)).toMatchObject({ ok: false, certain: true });
      expect(analyzeArgv(argv).problem).toMatch(/init exits with it/);
      const outcome = await runAsPid1(argv);
      // ended (PID 1 gone) without the JVM completing its drain
      expect({ argv, ...outcome }).toMatchObject({ started: true, javaPid: 3, drained: false, exited: true });
    }, TEST_TIMEOUT_MS);
  });

  interface Row {
    readonly argv: string[];
    /** false when the command fails before the JVM starts */
    readonly starts?: false;
  }

  /**
   * analyzeArgv's verdict against what actually happens, with dash as `sh` (Debian's and Ubuntu's /bin/sh,
   * the strictest of the three: it never execs a last command by itself).
   */
  const table: Row[] = [
    { argv: ['java', '-jar', '/app.jar'] },
    { argv: ['env', 'A=1', 'java', '-jar', '/app.jar'] },
    { argv: ['env', '-u', 'HOME', 'A=1', 'java', '-jar', '/app.jar'] },
    { argv: ['sh', '-c', 'java -jar /app.jar'] },
    { argv: ['sh', '-c', 'exec java -jar /app.jar'] },
    { argv: ['sh', '-c', 'echo start; java -jar /app.jar'] },
    { argv: ['bash', '-ec', 'exec java -jar /app.jar'] },
    { argv: ['busybox', 'sh', '-c', 'echo start; exec java -jar /app.jar'] },
    { argv: ['sh', '-c', 'java -jar /app.jar & wait'] },
    { argv: ['sh', '-c', 'exec java -jar /app.jar | tee log'] },
    { argv: ['sh', '-c', 'FOO=1 exec java -jar /app.jar'] },
    { argv: ['sh', '-c', 'exec 2>&1 java -jar /app.jar'] },
    { argv: ['sh', '-c', 'exec >/dev/null 2>&1; java -jar /app.jar'] },
    { argv: ['sh', '-c', 'exec env A=1 java -jar /app.jar'] },
    { argv: ['sh', '-c', 'exec sh -c "java -jar /app.jar"'] },
    { argv: ['sh', '-c', 'trap \'echo bye\' TERM; exec java -jar /app.jar'] },
    { argv: ['sh', '-c', 'trap \'\' TERM; exec java -jar /app.jar'] },
    { argv: ['sh', '-c', 'trap \'\' TERM; trap - TERM; exec java -jar /app.jar'] },
    { argv: ['tini', '--', 'java', '-jar', '/app.jar'] },
    { argv: ['tini', '--', 'sh', '-c', 'java -jar /app.jar'] },
    { argv: ['tini', '--', 'sh', '-c', 'trap \'echo stopping\' TERM; java -jar /app.jar'] },
    { argv: ['tini', '-g', '--', 'sh', '-c', 'java -jar /app.jar'] },
    { argv: ['tini', '-g', '--', 'sh', '-c', 'exec java -jar /app.jar'] },
    // without '--' tini takes `-c` for one of its own options and exits: the JVM never starts
    { argv: ['tini', '-g', 'sh', '-c', 'exec java -jar /app.jar'], starts: false },
    { argv: ['tini', '-g', 'java', '-jar', '/app.jar'], starts: false },
    { argv: ['tini', '-g', 'java'] },
    { argv: ['tini', '-g', '--', 'sh', '-c', 'trap \'echo stopping\' TERM; java -jar /app.jar'] },
    { argv: ['tini', '-g', '--', 'sh', '-c', 'trap \'echo stopping\' TERM; java -jar /app.jar & wait'] },
    { argv: ['dumb-init', 'sh', '-c', 'java -jar /app.jar'] },
    { argv: ['dumb-init', 'sh', '-c', 'exec java -jar /app.jar'] },
    { argv: ['dumb-init', '--single-child', 'sh', '-c', 'trap \'echo stopping\' TERM; java -jar /app.jar'] },
  ];

  describe('analyzeArgv agrees with what happens (sh = dash)', () => {
    test.concurrent.each(table.map(row => ({ ...row, label: JSON.stringify(row.argv) })))('$label', async ({ argv, starts }) => {
      const { ok } = analyzeArgv(argv);
      const outcome = await runAsPid1(argv, 'dash');
      expect({ argv, started: outcome.started, output: outcome.output }).toEqual({ argv, started: starts ?? true, output: outcome.output });
      expect({ argv, ok, drained: outcome.drained, output: outcome.output })
        .toEqual({ argv, ok: outcome.drained, drained: outcome.drained, output: outcome.output });
    }, TEST_TIMEOUT_MS);

    test('the table has both verdicts', () => {
      const verdicts = table.map(row => analyzeArgv(row.argv).ok);
      expect(verdicts.filter(v => v).length).toBeGreaterThanOrEqual(10);
      expect(verdicts.filter(v => !v).length).toBeGreaterThanOrEqual(10);
    });
  });

  // bash and busybox exec a lone last command by themselves, so some wrappers rejected as unportable work
  // there; what analyzeArgv accepts must work under every one of them.
  describe.each(['bash', 'busybox'] as const)('analyzeArgv never accepts what fails (sh = %s)', shell => {
    const withSh = table.map(row => row.argv).filter(argv => argv.includes('sh') && analyzeArgv(argv).ok);
    test.concurrent.each(withSh.map(argv => ({ argv, label: JSON.stringify(argv) })))('$label', async ({ argv }) => {
      const outcome = await runAsPid1(argv, shell);
      expect({ argv, started: outcome.started, drained: outcome.drained, output: outcome.output })
        .toEqual({ argv, started: true, drained: true, output: outcome.output });
    }, TEST_TIMEOUT_MS);
  });
});
