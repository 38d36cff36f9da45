import * as fc from 'fast-check';
import { analyzeArgv, analyzeScriptFile, analyzeWithScripts, unwrapInits } from '../../src/shell/signals';
import { commandWords, shellInvocation, topLevelCommands } from '../../src/shell/tokenize';

describe('topLevelCommands connectors', () => {
  test.each([
    ['a; b', ['', ';']],
    ['a && b || c', ['', '&&', '||']],
    ['a &&\n b', ['', '&&']],
    ['a & b', ['', '&']],
    ['a\n\nb', ['', ';']],
    ['curl x 2>&1; sleep 3', ['', ';']],
  ])('%j', (script, connectors) => {
    expect(topLevelCommands(script).map(c => c.connector)).toEqual(connectors);
  });

  test('never throws, and every word comes from the script', () => {
    fc.assert(fc.property(fc.string(), s => {
      const cs = topLevelCommands(s);
      return cs.every(c => c.words.length > 0);
    }));
  });
});

describe('commandWords', () => {
  test.each([
    [['then', 'sleep', '5'], ['sleep', '5']],
    [['(sleep', '5)'], ['sleep', '5']],
    [['{', 'sleep', '5;', '}'], ['sleep', '5;']],
    [['A=1', 'sleep', '${WAIT}'], ['sleep', '${WAIT}']],
    [['sleep', '$(cat /x)'], ['sleep', '$(cat /x)']],
    [['(sleep', '$(cat /x))'], ['sleep', '$(cat /x)']],
  ])('%j', (words, expected) => {
    expect(commandWords(words)).toEqual(expected);
  });
});

describe('shellInvocation', () => {
  test('sh -c with $0 words', () => {
    expect(shellInvocation(['/bin/sh', '-c', 'curl x', '&&', 'sleep', '30'])).toEqual({ shell: 'sh', hasC: true, scriptIndex: 2, script: 'curl x', extra: ['&&', 'sleep', '30'] });
  });
  test('clustered -ec, busybox sh, script file', () => {
    expect(shellInvocation(['bash', '-ec', 'x'])?.hasC).toBe(true);
    expect(shellInvocation(['busybox', 'sh', '-c', 'x'])?.script).toBe('x');
    expect(shellInvocation(['/bin/sh', '/etc/graceful/prestop.sh', 'a'])).toMatchObject({ hasC: false, script: '/etc/graceful/prestop.sh', extra: ['a'] });
    expect(shellInvocation(['java', '-jar'])).toBeUndefined();
  });
});

describe('PID 1 with scripts', () => {
  test('a script file is judged by its shebang, and never execs its last command by itself', () => {
    expect(analyzeScriptFile('#!/bin/bash\njava -jar /app.jar\n')).toMatchObject({ ok: false, certain: true, shell: 'bash' });
    expect(analyzeScriptFile('#!/usr/bin/env sh\nset -e\nexec java -jar /app.jar "$@"\n')).toEqual({ ok: true, certain: true });
    expect(analyzeScriptFile('#!/usr/bin/env python3\nprint(1)\n').ok).toBe(true);
  });

  test('nothing after an unconditional top-level exec runs: the exec decides, not the last line', () => {
    // lab-server's entrypoint.sh (test/fixtures/real-world/df01-knu-lab-server.Dockerfile)
    expect(analyzeScriptFile('#!/bin/sh\n\nexec java -jar /app.jar\n\nmkdir -p /app/tmp\nmkdir -p /app/logs\n')).toEqual({ ok: true, certain: true });
    expect(analyzeArgv(['sh', '-c', 'exec java -jar /app.jar; echo done'])).toEqual({ ok: true, certain: true });
    expect(analyzeScriptFile('#!/bin/sh\nsleep 1 &\nexec java -jar /app.jar\nwait\n')).toEqual({ ok: true, certain: true });
    // an exec that may not run leaves the rest reachable: judged by the last command, as before
    for (const script of [
      'if [ -n "$DEBUG" ]; then\n  exec java -agentlib:jdwp -jar /app.jar\nfi\njava -jar /app.jar\n',
      'while false; do exec java -jar /app.jar; done\njava -jar /app.jar\n',
      'cd /app && exec java -jar /app.jar\njava -jar /app.jar\n',
      '{ exec java -jar /app.jar; }\njava -jar /app.jar\n',
      'start() {\n  exec java -jar /app.jar\n}\njava -jar /app.jar\n',
      'case "$1" in\n  run) exec java -jar /app.jar;;\nesac\njava -jar /app.jar\n',
      '(exec java -jar /app.jar)\njava -jar /app.jar\n',
    ]) {
      expect(analyzeScriptFile(`#!/bin/sh\n${script}`)).toMatchObject({ ok: false, certain: true });
    }
  });

  test('the lone command of a -c script is marked, a script file\'s is not', () => {
    expect(analyzeArgv(['sh', '-c', 'java -jar /app.jar'])).toMatchObject({ ok: false, loneCommand: true, shell: 'sh' });
    expect(analyzeArgv(['sh', '-c', 'java -jar /app.jar >/log'])).not.toHaveProperty('loneCommand');
    expect(analyzeScriptFile('java -jar /app.jar')).not.toHaveProperty('loneCommand');
  });

  test('inits are peeled off, and the script under them is read', () => {
    expect(unwrapInits(['tini', '-g', '--', 'env', 'A=1', '/start.sh'])).toEqual({ argv: ['/start.sh'], receiver: 'group' });
    expect(unwrapInits(['dumb-init', '--single-child', 'x'])).toEqual({ argv: ['x'], receiver: 'child' });
    const scripts: { [p: string]: string } = { '/start.sh': '#!/bin/sh\njava -jar /a.jar\n' };
    expect(analyzeWithScripts(['tini', '-g', '--', '/start.sh'], p => scripts[p]).problem).toMatch(/init exits with it/);
    expect(analyzeWithScripts(['sh', '/start.sh'], p => scripts[p])).toMatchObject({ ok: false, certain: true });
    expect(analyzeWithScripts(['sh', '/other.sh'], p => scripts[p])).toMatchObject({ ok: false, certain: false, scriptFile: '/other.sh' });
  });

  test('a script a -c script execs, or runs as its last command, is read too', () => {
    const scripts: { [p: string]: string } = { '/start.sh': '#!/bin/sh\njava -jar /a.jar\n', '/ok.sh': '#!/bin/sh\nexec java -jar /a.jar\n' };
    const text = (p: string) => scripts[p];
    expect(analyzeWithScripts(['sh', '-c', 'exec /start.sh'], text)).toMatchObject({ ok: false, certain: true, problem: expect.stringMatching(/sh script's last command \("java -jar \/a.jar"\)/) });
    expect(analyzeWithScripts(['/bin/sh', '-c', 'exec /ok.sh'], text)).toEqual({ ok: true, certain: true });
    // not exec'd: the -c shell's own problem, plus what the script does where the shell execs it
    const lone = analyzeWithScripts(['/bin/sh', '-c', '/start.sh'], text);
    expect(lone).toMatchObject({ ok: false, loneCommand: true, lastCommand: { several: false } });
    expect(lone.lastCommandExecd).toMatchObject({ ok: false, certain: true });
    expect(analyzeWithScripts(['/bin/sh', '-c', 'cd / && sh /ok.sh'], text).lastCommandExecd).toEqual({ ok: true, certain: true });
    expect(analyzeWithScripts(['/bin/sh', '-c', '/unknown.sh'], text)).not.toHaveProperty('lastCommandExecd');
  });
});
