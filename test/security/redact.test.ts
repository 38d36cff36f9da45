import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { isSecretKey, redact, REDACTED, redactValue } from '../../src/redact';

const R = REDACTED;

describe('redact', () => {
  test.each([
    // URLs with user:password@ (also with $, ?, %, @ in the password)
    ['http://nacos:s3cret@nacos:8848/nacos', `http://${R}@nacos:8848/nacos`],
    ['http://user:pa$$w0rd@eureka:8761/eureka/', `http://${R}@eureka:8761/eureka/`],
    ['http://user:p?w@eureka:8761/eureka/', `http://${R}@eureka:8761/eureka/`],
    ['http://user:p%40ss@eureka:8761', `http://${R}@eureka:8761`],
    ['http://user:p@ss@eureka:8761/eureka', `http://${R}@eureka:8761/eureka`],
    ['defaultZone=https://u:pw@e1:8761/eureka,https://u:pw2@e2:8761/eureka', `defaultZone=https://${R}@e1:8761/eureka,https://${R}@e2:8761/eureka`],
    ['calls "curl http://user:pa…"', `calls "curl http://${R}…"`],
    // query parameters
    ['curl -m 3 "http://nacos:8848/nacos/v1/ns/instance?serviceName=a&accessToken=abc123&ip=1"', `curl -m 3 "http://nacos:8848/nacos/v1/ns/instance?serviceName=a&accessToken=${R}&ip=1"`],
    ['wget http://x/offline?token=t0k&password=pw', `wget http://x/offline?token=${R}&password=${R}`],
    ['http://x/y?apikey=k&secret=s', `http://x/y?apikey=${R}&secret=${R}`],
    ['?accessToken=$(NACOS_TOKEN)', '?accessToken=$(NACOS_TOKEN)'],
    // bodies
    ["curl -d 'username=nacos&password=pw1' http://x/login", `curl -d 'username=nacos&password=${R}' http://x/login`],
    ['curl -d password=pw1 http://x/login', `curl -d password=${R} http://x/login`],
    ['curl -d \'{"username":"nacos","password":"pw1"}\'', `curl -d '{"username":"nacos","password":"${R}"}'`],
    ['["sh","-c","curl -d \\"{\\\\\\"token\\\\\\":\\\\\\"tk\\\\\\"}\\""]', `["sh","-c","curl -d \\"{\\\\\\"token\\\\\\":\\\\\\"${R}\\\\\\"}\\""]`],
    // JVM and Spring flags, env
    ['-Dspring.cloud.nacos.discovery.password=pw -Xmx1g', `-Dspring.cloud.nacos.discovery.password=${R} -Xmx1g`],
    ['--spring.cloud.consul.discovery.acl-token=tok', `--spring.cloud.consul.discovery.acl-token=${R}`],
    ['--spring.cloud.nacos.discovery.access-key=ak --spring.cloud.nacos.discovery.secret-key=sk', `--spring.cloud.nacos.discovery.access-key=${R} --spring.cloud.nacos.discovery.secret-key=${R}`],
    ['NACOS_PASSWORD=pw', `NACOS_PASSWORD=${R}`],
    ['NACOS_PASSWORD=p\\w', `NACOS_PASSWORD=${R}`],
    ['NACOS_PASSWORD=<redacted>pw', `NACOS_PASSWORD=${R}`],
    ['SPRING_CLOUD_NACOS_DISCOVERY_ACCESSKEY=ak', `SPRING_CLOUD_NACOS_DISCOVERY_ACCESSKEY=${R}`],
    ['CONSUL_HTTP_TOKEN="tok en"', `CONSUL_HTTP_TOKEN="${R}"`],
    ['CONSUL_HTTP_AUTH=user:pass', `CONSUL_HTTP_AUTH=${R}`],
    ['-Dspring.cloud.nacos.discovery.server-addr=nacos:pw@nacos:8848', `-Dspring.cloud.nacos.discovery.server-addr=${R}@nacos:8848`],
    ['ENV NACOS_PASSWORD s3cret', `ENV NACOS_PASSWORD ${R}`],
    ['ENV NACOS_PASSWORD=s3cret NACOS_USERNAME=nacos', `ENV NACOS_PASSWORD=${R} NACOS_USERNAME=nacos`],
    ['{"spring":{"cloud":{"nacos":{"discovery":{"password":"pw","server-addr":"u:p@nacos:8848"}}}}}',
      `{"spring":{"cloud":{"nacos":{"discovery":{"password":"${R}","server-addr":"${R}@nacos:8848"}}}}}`],
    ['--password s3cret', `--password ${R}`],
    ['["app","--token","tk"]', `["app","--token","${R}"]`],
    ['curl -u nacos:pw http://x', `curl -u ${R} http://x`],
    // headers
    ["curl -H 'X-Consul-Token: tok' http://x", `curl -H 'X-Consul-Token: ${R}' http://x`],
    ['-H "Authorization: Bearer eyJabc.def"', `-H "Authorization: Bearer ${R}"`],
    ['--header=X-Nacos-Identity:abc', `--header=X-Nacos-Identity:${R}`],
    ["-H 'Authorization: Bearer $(TOKEN)'", "-H 'Authorization: Bearer $(TOKEN)'"],
    // YAML
    ['  password: pw', `  password: ${R}`],
    ['  - token: tk', `  - token: ${R}`],
    // Helm
    ['password: {{ .Values.nacos.password | default "pw" }}', `password: {{ .Values.nacos.password | default "${R}" }}`],
    ['value: {{ default "pw" .Values.nacosPassword }}', `value: {{ default "${R}" .Values.nacosPassword }}`],
    ['{{ .Values.token | default "abcdefghijklmnopqrst', `{{ .Values.token | default "${R}`],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
    expect(redact(expected)).toBe(expected); // redacting twice changes nothing
  });

  test.each([
    'username=nacos',
    'SPRING_CLOUD_NACOS_DISCOVERY_USERNAME=nacos',
    '-Dserver.port=8080',
    '--spring.lifecycle.timeout-per-shutdown-phase=30s',
    'image: registry.example.com:5000/orders:1.4.2',
    'image nginx:1.25@sha256:0123456789abcdef',
    'http://127.0.0.1:8848/nacos/v1/ns/instance?serviceName=orders&ip=$(POD_IP)&port=8080&ephemeral=true',
    'GRACEFUL_TOKEN_HEADER=X-Consul-Token',
    'GRACEFUL_TOKEN_QUERY=accessToken',
    'valueFrom: { secretKeyRef: { name: nacos, key: password } }',
    'give e.g. { secret: kplus.Secret.fromSecretName(this, "NacosAuth", "nacos-auth"), key: "password" } — never the value itself',
    'the preStop hook of container "app" passes a literal password or token in its command (value not shown)',
    'sleep 30; curl -m 3 -X POST localhost:8081/actuator/serviceregistry -d \'{"status":"DOWN"}\'',
    'Spring Boot\'s default timeout-per-shutdown-phase of 30 s, token',
    'image: {{ .Values.image | default "nginx:1.25" }}',
    'maintainers@users.noreply.github.com',
    'the Eureka service URL in env EUREKA_CLIENT_SERVICEURL_DEFAULTZONE carries a user and password',
    'http://$(POD_IP):8848',
    'passwordless: 5',
    'derives (SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD=) from \'registry.openApi.auth\'',
  ])('kept: %s', text => {
    expect(redact(text)).toBe(text);
  });

  test.each([
    ['SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD', true], ['spring.cloud.nacos.discovery.password', true], ['spring.cloud.nacos.password', true],
    ['spring.cloud.consul.discovery.acl-token', true], ['spring.cloud.consul.discovery.aclToken', true], ['SPRING_CLOUD_CONSUL_DISCOVERY_ACLTOKEN', true],
    ['accessToken', true], ['access-key', true], ['secret-key', true], ['SECRETKEY', true], ['api-key', true], ['credentials', true],
    ['NACOS_AUTH_TOKEN', true], ['NACOS_AUTH_IDENTITY_VALUE', true], ['CONSUL_HTTP_AUTH', true], ['eureka.instance.metadata-map.user.password', true],
    ['spring.cloud.nacos.discovery.secretKey', true], ['SPRING_CLOUD_NACOS_CONFIG_ACCESS_KEY', true], ['spring.cloud.consul.config.acl-token', true],
    ['NACOS_AUTH_IDENTITY_KEY', false], ['spring.cloud.nacos.discovery.username', false], ['EUREKA_CLIENT_SERVICEURL_DEFAULTZONE', false],
    ['passwd', true], ['CONSUL_HTTP_TOKEN', true], ['X-Consul-Token', true], ['GRACEFUL_LOGIN_PASSWORD', true], ['nacos.core.auth.plugin.nacos.token.secret.key', true],
    ['username', false], ['SPRING_CLOUD_NACOS_DISCOVERY_USERNAME', false], ['GRACEFUL_TOKEN_HEADER', false], ['tokenHeader', false], ['secretKeyRef', false],
    ['server.port', false], ['key', false], ['NACOS_AUTH_ENABLE', false], ['serverAddr', false],
  ])('isSecretKey(%s) is %s', (key, expected) => {
    expect(isSecretKey(key)).toBe(expected);
  });

  test('redactValue hides the whole value of a secret prop and the user info of an address', () => {
    expect(redactValue('registry.openApi.auth', '"tok"')).toBe(R);
    expect(redactValue('registry.agentMaintenance.token', 'tok')).toBe(R);
    expect(redactValue('registry.agentMaintenance.token', 'undefined')).toBe('undefined');
    expect(redactValue('envVariables.NACOS_PASSWORD', '"pw"')).toBe(R);
    expect(redactValue('registry.openApi.serverAddr', '"nacos:pw@nacos:8848"')).toBe(`"${R}@nacos:8848"`);
    expect(redactValue('registry.serverUrl', '"http://u:p$w@eureka:8761/eureka"')).toBe(`"http://${R}@eureka:8761/eureka"`);
    expect(redactValue('port', '8080')).toBe('8080');
  });
});

describe('the same redaction as the preStop script', () => {
  // assets/prestop.sh logs the URLs it calls through its own redact_url (sed); both use the same marker and
  // redact the same query parameters and user info
  const script = fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'prestop.sh'), 'utf-8');
  const fn = /^redact_url\(\) \{\n[\s\S]*?\n\}\n/m.exec(script)![0];
  const shell = (url: string) => {
    const res = spawnSync('sh', ['-c', `${fn}redact_url "$1"`, 'sh', url], { encoding: 'utf-8' });
    expect(res.status).toBe(0);
    return res.stdout;
  };

  test.each([
    'http://nacos:s3cret@nacos:8848/nacos/v1/ns/instance?serviceName=orders&ip=10.0.0.1&port=8080&enabled=false&accessToken=abc',
    'http://127.0.0.1:54199/offline?token=t&password=p&apikey=k&authz=a&monkey=m&user=u&namespaceId=public',
    'https://admin:pw@eureka:8761/eureka/apps/ORDERS/10.0.0.1:orders:8080/status?value=OUT_OF_SERVICE',
    'http://$(POD_IP):8081/actuator/serviceregistry',
    // a password with @, ? or $ in it: everything up to the last @ before the path is user info
    'http://nacos:p@ss?w$rd@nacos:8848/nacos/v1/ns/instance?accessToken=abc',
  ])('%s', url => {
    expect(redact(url)).toBe(shell(url));
  });
});

test('redaction takes linear time on long adversarial texts (each run of key characters is scanned once)', () => {
  for (const unit of ['a-', 'a.', 'a:', 'a[', '-', '"a":', '\\"', 'a=', 'http://a:', 'password: ', '?a&', '--a ', 'a+']) {
    const text = unit.repeat(Math.ceil(100_000 / unit.length));
    const start = Date.now();
    redact(text);
    expect({ unit, ms: Date.now() - start < 2000 }).toEqual({ unit, ms: true });
  }
});
