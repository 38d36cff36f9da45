/**
 * assets/prestop.sh against replies it cannot trust: login replies of 1 MB and 10 MB (token first, token last,
 * no token, no closing quote, one 10 MB token on a single line, a reply dripping for ever), tokens just over
 * and at the 4096-byte limit, take-out and after-call replies of 10 MB, a 10 MB status line and 10 MB of
 * headers; under dash, bash and busybox sh with curl, GNU wget and busybox wget (fixtures/prestop-runner.ts).
 * Every step that handles a reply must stay within the call bound: the run ends within
 * `wait + calls × timeout + OVERHEAD_MS`, exits 0, logs readable lines and never the token
 * (docs/prestop-script.md, "Replies: what is read of them"). Also: an image without head, and a value too
 * large for one argument (logged as a client that could not be started, not as a timeout).
 *
 * The replies are built once, byte for byte, by fixtures/reply-server.ts. This file is apart from
 * prestop-script.e2e.test.ts so that pumping megabytes does not delay that file's arrival-time checks.
 */
import { CLIENTS, BOX_OF, eachShell, expectBounded, expectClean, expectNoSecret, expectSteps, Run, runScript, steps, useScriptSetup } from './fixtures/prestop-runner';
import { CraftedReply, withReplies } from './fixtures/reply-server';

useScriptSetup();

const TIMEOUT = 2;
const TEST_TIMEOUT_MS = 30_000;

describe('replies of any size and pace: every step that reads a reply stays within the call bound', () => {
  /** A JWT shaped like Nacos' (HS256, sub and exp): a few hundred bytes at most. */
  const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJuYWNvcyIsImV4cCI6MTc2NDY2MjQwMH0.dG9rZW4tc2lnbmF0dXJlLW9mLWEtbmFjb3MtdXNlcg';
  const KIB = 1024;
  const MIB = 1024 * KIB;
  const json = (text: string): CraftedReply => ({ body: Buffer.from(text) });
  const pad = (n: number) => 'a'.repeat(n);
  /** Built once: the server sends the same buffers to every client. */
  const BIG = Buffer.from(`{"pad":"${pad(10 * MIB)}"}`);
  const BIG_CHUNKED: CraftedReply = { body: BIG, framing: 'chunked' };
  const BIG_CLOSED: CraftedReply = { body: BIG, framing: 'close' };
  const ODD_REPLIES: Record<string, CraftedReply> = {
    '/status-line': { statusLine: `HTTP/1.1 200 ${'O'.repeat(10 * MIB)}` },
    '/headers': { headers: [`X-Pad: ${pad(10 * MIB)}`] },
    '/drip': { body: BIG, framing: 'chunked', drip: { bytes: 1000, everyMs: 100 } },
  };
  const larger = /^failed: the reply is larger than 64 KiB \(only that much is read(; HTTP 200)?\); taking out without a token$/;

  interface LoginCase {
    readonly what: string;
    readonly reply: CraftedReply;
    /** The login's result line. */
    readonly says: RegExp;
    /** Whether the take-out carries the token. */
    readonly withToken?: boolean;
  }
  const LOGIN_CASES: LoginCase[] = [
    { what: 'of 1 MB with the token first', reply: json(`{"accessToken":"${TOKEN}","tokenTtl":18000,"pad":"${pad(MIB)}"}`), says: larger },
    { what: 'of 1 MB with the token at the end', reply: json(`{"pad":"${pad(MIB)}","accessToken":"${TOKEN}","tokenTtl":18000}`), says: larger },
    { what: 'of 10 MB without a token (chunked)', reply: { ...json(`{"pad":"${pad(10 * MIB)}"}`), framing: 'chunked' }, says: larger },
    {
      what: 'of 10 MB whose token has no closing quote (ended by closing the connection)',
      reply: { ...json(`{"accessToken":"${TOKEN}${pad(10 * MIB)}`), framing: 'close' },
      says: larger,
    },
    { what: 'of 10 MB that is one token on a single line (chunked)', reply: { ...json(`{"accessToken":"${pad(10 * MIB)}"}`), framing: 'chunked' }, says: larger },
    {
      what: 'of 10 MB sent slowly (1 KB every 100 ms, never done within the timeout)',
      reply: { ...json(`{"accessToken":"${TOKEN}","pad":"${pad(10 * MIB)}"}`), framing: 'chunked', drip: { bytes: 1000, everyMs: 100 } },
      says: /^failed: (HTTP 200 but the reply did not end|no answer) within 2 s; taking out without a token$/,
    },
    {
      what: 'that ends before its Content-Length (the token whole, the reply not)',
      reply: { ...json(`{"accessToken":"${TOKEN}","tokenTtl":18000,`), contentLength: 1000 },
      says: /^failed: HTTP 200 but the reply did not arrive whole \((curl|gnu-wget|busybox-wget) exit \d+\); taking out without a token$/,
    },
    {
      what: 'with a token over 4 KiB',
      reply: json(`{"accessToken":"${pad(4 * KIB + 1)}","tokenTtl":18000}`),
      says: /^failed: the accessToken in the reply is longer than 4096 bytes; taking out without a token$/,
    },
    {
      what: 'with a small token but no closing quote',
      reply: json(`{"accessToken":"${TOKEN}`),
      says: /^failed: HTTP 200 but no accessToken in the reply; taking out without a token$/,
    },
    {
      what: 'with a token of exactly 4 KiB (still taken)',
      reply: json(`{"accessToken":"${TOKEN}${'b'.repeat(4 * KIB - TOKEN.length)}","tokenTtl":18000}`),
      says: /^ok: HTTP 200, got an access token$/,
      withToken: true,
    },
  ];

  /** Every log line is a readable line: the documented shape, printable, not a dump of the reply. */
  function expectReadable(run: Run, secrets: string[]): void {
    for (const { step, what } of steps(run)) {
      expect({ run: run.label, step, what, printable: /^[\x20-\x7e]*$/.test(what) }).toEqual({ run: run.label, step, what, printable: true });
      expect(what.length).toBeLessThan(400);
    }
    expect(run.log).not.toContain('aaaaaaaa');
    expectNoSecret(run, secrets);
  }

  describe.each(CLIENTS)('with %s', client => {
    const box = BOX_OF[client];

    test.concurrent.each(LOGIN_CASES)('a login reply $what: exit 0 within the bound, logged, the take-out goes out', async ({ reply, says, withToken }) => {
      const token = /"accessToken":"([^"]*)"/.exec(reply.body!.subarray(0, 8 * KIB).toString())?.[1] ?? '';
      await eachShell(shell => withReplies(req => req.path === '/nacos/v1/auth/login' ? reply : json('ok'), async server => {
        const run = await runScript({
          shell,
          box,
          env: {
            GRACEFUL_WAIT_SECONDS: '0',
            GRACEFUL_CALL_TIMEOUT_SECONDS: String(TIMEOUT),
            GRACEFUL_LOGIN_URL: server.url('/nacos/v1/auth/login'),
            GRACEFUL_LOGIN_USERNAME: 'nacos',
            GRACEFUL_LOGIN_PASSWORD: 'nacos',
            GRACEFUL_TAKEOUT_URL: server.url('/nacos/v1/ns/instance?serviceName=orders&ip=10.0.0.7&port=8080&enabled=false'),
            GRACEFUL_TAKEOUT_METHOD: 'PUT',
          },
        });
        expectClean(run);
        expectBounded(run, 0, TIMEOUT, 2);
        expectSteps(run, [
          ['start', /./],
          ['login', /^POST /],
          ['login', says],
          ['take-out', /^PUT /],
          ['take-out', /^ok: HTTP 200$/],
          ['wait', /./],
          ['wait', /./],
          ['done', /\(2 call\(s\)\)$/],
        ]);
        const [takeout] = server.requestsTo('/nacos/v1/ns/instance');
        expect({ run: run.label, method: takeout?.method, accessToken: takeout?.query.accessToken })
          .toEqual({ run: run.label, method: 'PUT', accessToken: withToken ? token : undefined });
        expectReadable(run, [token.slice(0, 64)]);
      }));
    }, TEST_TIMEOUT_MS);

    test.concurrent('take-out and after-call replies of 10 MB (chunked, and ended by closing): exit 0 within the bound, ok', async () => {
      await eachShell(shell => withReplies(req => req.path === '/actuator/shutdown' ? BIG_CLOSED : BIG_CHUNKED, async server => {
        const run = await runScript({
          shell,
          box,
          env: {
            GRACEFUL_WAIT_SECONDS: '0',
            GRACEFUL_CALL_TIMEOUT_SECONDS: String(TIMEOUT),
            // PUT: busybox wget hands it to nc, which reads the raw reply; the after-call POST goes through wget itself
            GRACEFUL_TAKEOUT_URL: server.url('/eureka/apps/ORDERS/orders-1/status?value=OUT_OF_SERVICE'),
            GRACEFUL_TAKEOUT_METHOD: 'PUT',
            GRACEFUL_AFTER_URL: server.url('/actuator/shutdown'),
          },
        });
        expectClean(run);
        expectBounded(run, 0, TIMEOUT, 2);
        expectSteps(run, [
          ['start', /./], ['take-out', /^PUT /], ['take-out', /^ok: HTTP 200$/], ['wait', /./], ['wait', /./],
          ['after', /^POST /], ['after', /^ok: HTTP 200$/], ['done', /\(2 call\(s\)\)$/],
        ]);
        expect(server.requests.map(r => r.method)).toEqual(['PUT', 'POST']);
        expectReadable(run, []);
      }));
    }, TEST_TIMEOUT_MS);

    test.concurrent('a 10 MB status line, 10 MB of headers, a take-out reply dripping for ever: exit 0 within the bound, a readable line', async () => {
      await eachShell(shell => withReplies(req => ODD_REPLIES[req.path] ?? json('ok'), async server => {
        const runs = await Promise.all(Object.keys(ODD_REPLIES).map(p => runScript({
          shell,
          box,
          env: {
            GRACEFUL_WAIT_SECONDS: '0',
            GRACEFUL_CALL_TIMEOUT_SECONDS: String(TIMEOUT),
            GRACEFUL_TAKEOUT_URL: server.url(p),
            GRACEFUL_TAKEOUT_BODY: '{"status":"DOWN"}',
          },
        })));
        for (const run of runs) {
          expectClean(run);
          expectBounded(run, 0, TIMEOUT, 1);
          expectSteps(run, [
            ['start', /./], ['take-out', /^POST /], ['take-out', /^(ok: HTTP 200|failed: .+; the instance may still be registered)$/],
            ['wait', /./], ['wait', /./], ['done', /\(1 call\(s\)\)$/],
          ]);
          expectReadable(run, []);
        }
        expect(server.requests).toHaveLength(3);
      }));
    }, TEST_TIMEOUT_MS);
  });
});

describe('an image without head', () => {
  test.concurrent('the calls go out, their replies are not read, the log says why; exit 0 within the bound', async () => {
    await eachShell(shell => withReplies(req => req.path === '/nacos/v1/auth/login' ? { body: Buffer.from('{"accessToken":"t0ken","tokenTtl":18000}') } : { body: Buffer.from('ok') }, async server => {
      const run = await runScript({
        shell,
        box: 'curl-no-head',
        env: {
          GRACEFUL_WAIT_SECONDS: '0',
          GRACEFUL_CALL_TIMEOUT_SECONDS: String(TIMEOUT),
          GRACEFUL_LOGIN_URL: server.url('/nacos/v1/auth/login'),
          GRACEFUL_TAKEOUT_URL: server.url('/nacos/v1/ns/instance?serviceName=orders&ip=10.0.0.7&port=8080&enabled=false'),
          GRACEFUL_TAKEOUT_METHOD: 'PUT',
        },
      });
      expectClean(run);
      expectBounded(run, 0, TIMEOUT, 2);
      expectSteps(run, [
        ['start', /HTTP client curl/],
        ['login', /^POST /],
        ['login', /^failed: the reply could not be read: no head command in the image; taking out without a token$/],
        ['take-out', /^PUT /],
        ['take-out', /^failed: the reply could not be read: no head command in the image; the instance may still be registered$/],
        ['wait', /./],
        ['wait', /./],
        ['done', /\(2 call\(s\)\)$/],
      ]);
      expect(server.requests.map(r => `${r.method} ${r.path}`)).toEqual(['POST /nacos/v1/auth/login', 'PUT /nacos/v1/ns/instance']);
    }));
  }, TEST_TIMEOUT_MS);
});

describe('a value too large for one argument (a 60 KB token, percent-encoded into the URL)', () => {
  test.concurrent.each(CLIENTS)('with %s: logged as a client that could not be started, not as a timeout; exit 0 within the bound', async client => {
    const token = 'k'.repeat(60_000);
    await eachShell(shell => withReplies(() => ({ body: Buffer.from('ok') }), async server => {
      const run = await runScript({
        shell,
        box: BOX_OF[client],
        env: {
          GRACEFUL_WAIT_SECONDS: '0',
          GRACEFUL_CALL_TIMEOUT_SECONDS: String(TIMEOUT),
          GRACEFUL_TAKEOUT_URL: server.url('/actuator/serviceregistry'),
          GRACEFUL_TAKEOUT_BODY: '{"status":"DOWN"}',
          GRACEFUL_TOKEN: token,
          GRACEFUL_TOKEN_QUERY: 'token',
        },
      });
      expectClean(run);
      expectBounded(run, 0, TIMEOUT, 1);
      expectSteps(run, [
        ['start', /./],
        ['take-out', /^POST .*\?token=<redacted>, application\/json body of 17 bytes$/],
        ['take-out', /^failed: (curl|gnu-wget|busybox-wget) could not be started \(exit 126\); the instance may still be registered$/],
        ['wait', /./],
        ['wait', /./],
        ['done', /\(1 call\(s\)\)$/],
      ]);
      expectNoSecret(run, [token.slice(0, 64)]);
      expect(server.requests).toEqual([]);
    }));
  }, TEST_TIMEOUT_MS);
});
