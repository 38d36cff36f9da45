/**
 * Measures whether dash, bash and BusyBox ash exec the last command of a `-c` script themselves (the command
 * then takes the shell's pid, as PID 1 would), and checks that `shellExecsLast` (src/shell/signals.ts), which
 * the PID 1 rules' messages rest on, says the same for the shells installed here. Needs Linux (`ps`) and
 * dash, bash, busybox (Debian/Ubuntu: `apt-get install -y busybox`); skipped, with the reason, without them.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { shellExecsLast } from '../../src/shell/signals';

function which(tool: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf-8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const SHELLS = { dash: ['dash'], bash: ['bash'], busybox: ['busybox', 'sh'] } as const;
const missing = ['dash', 'bash', 'busybox', 'ps'].filter(t => which(t) === undefined);
const describeIf = missing.length === 0 && process.platform === 'linux' ? describe : describe.skip;

function comm(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf-8' }).trim();
  } catch {
    return '';
  }
}

function childComms(pid: number): string[] {
  try {
    return execFileSync('ps', ['-o', 'comm=', '--ppid', String(pid)], { encoding: 'utf-8' }).split('\n').map(x => x.trim()).filter(x => x);
  } catch {
    return [];
  }
}

/** Runs `shell -c script` and waits until `sleep` runs: as the shell's own pid (exec'd) or as its child (not). */
async function execsLast(shell: keyof typeof SHELLS, script: string): Promise<boolean> {
  const [cmd, ...pre] = SHELLS[shell];
  const p: ChildProcess = spawn(cmd, [...pre, '-c', script], { detached: true, stdio: 'ignore' });
  try {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (comm(p.pid!) === 'sleep') return true;
      if (childComms(p.pid!).includes('sleep')) return false;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`${shell} -c '${script}': sleep never started`);
  } finally {
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const CASES: { script: string; last: { several: boolean; redirect: boolean; trap: boolean } }[] = [
  { script: 'sleep 300', last: { several: false, redirect: false, trap: false } },
  { script: 'true; sleep 300', last: { several: true, redirect: false, trap: false } },
  { script: 'cd /tmp && sleep 300', last: { several: true, redirect: false, trap: false } },
  { script: 'sleep 300 > /dev/null', last: { several: false, redirect: true, trap: false } },
  { script: 'sleep 300 2>&1', last: { several: false, redirect: true, trap: false } },
  { script: 'trap "echo x" TERM; sleep 300', last: { several: true, redirect: false, trap: true } },
];

describeIf(`a shell execs the last command of a -c script (${missing.length ? `skipped: missing ${missing.join(', ')}` : 'measured'})`, () => {
  const bashMajorMinor = (() => {
    const m = /version (\d+)\.(\d+)/.exec(which('bash') ? execFileSync('bash', ['--version'], { encoding: 'utf-8' }) : '');
    return m ? Number(m[1]) + Number(m[2]) / 10 : 0;
  })();
  for (const shell of Object.keys(SHELLS) as (keyof typeof SHELLS)[]) {
    test.each(CASES)(`${shell} -c '$script'`, async ({ script, last }) => {
      const expected = shellExecsLast(shell, last) ?? (shell === 'bash' ? bashMajorMinor >= 5.1 : undefined);
      expect(await execsLast(shell, script)).toBe(expected);
    }, 30_000);
  }
});
