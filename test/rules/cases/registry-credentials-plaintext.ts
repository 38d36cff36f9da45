import { deployment, env, javaContainer, preStop, RuleCases } from '../util';

const app = (extra: any) => [deployment('a', [javaContainer(extra)])];

export const cases: RuleCases = {
  fail: [
    { name: 'nacos-password', objects: app({ env: env({ SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD: 'nacos' }) }), expect: ['env SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD is a literal'], path: 'spec.template.spec.containers[0].env[0].value' },
    { name: 'nacos-shared-password-dotted', objects: app({ env: env({ 'spring.cloud.nacos.password': 'nacos' }) }) },
    { name: 'consul-acl-token', objects: app({ env: env({ SPRING_CLOUD_CONSUL_DISCOVERY_ACLTOKEN: 'b1gs3cr3t' }) }) },
    { name: 'eureka-userinfo', objects: app({ env: env({ EUREKA_CLIENT_SERVICEURL_DEFAULTZONE: 'http://admin:admin123@eureka:8761/eureka/' }) }), expect: ['carries a user and password'] },
    { name: 'arg', objects: app({ args: ['--spring.cloud.nacos.discovery.password=nacos'] }), expect: ['args --spring.cloud.nacos.discovery.password'] },
    { name: 'java-opts', objects: app({ env: env({ JAVA_OPTS: '-Xmx1g -Dspring.cloud.nacos.config.password=nacos' }) }) },
    { name: 'library-script-password', objects: app({ env: env({ GRACEFUL_LOGIN_PASSWORD: 'nacos' }) }) },
    { name: 'prestop-login', objects: app({ lifecycle: preStop('sh', '-c', 'curl -m 3 -d "username=nacos&password=nacos" http://nacos:8848/nacos/v1/auth/login; sleep 5') }), expect: ['preStop'] },
    { name: 'init-container-too', objects: [deployment('a', [javaContainer()], { pod: { initContainers: [{ name: 'i', image: 'busybox', env: env({ CONSUL_HTTP_TOKEN: 't0k3n' }) }] } })] },
  ],
  pass: [
    { name: 'secret-ref', objects: app({ env: [{ name: 'SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD', valueFrom: { secretKeyRef: { name: 'n', key: 'p' } } }] }) },
    { name: 'username-only', objects: app({ env: env({ SPRING_CLOUD_NACOS_DISCOVERY_USERNAME: 'nacos' }) }) },
    { name: 'placeholder', objects: app({ env: env({ EUREKA_CLIENT_SERVICE_URL_DEFAULTZONE: 'http://admin:${jhipster.registry.password}@registry:8761/eureka/' }) }) },
    { name: 'k8s-expansion', objects: app({ env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'n', key: 'p' } } }, { name: 'SPRING_CLOUD_NACOS_PASSWORD', value: '$(P)' }] }) },
    { name: 'eureka-without-userinfo', objects: app({ env: env({ EUREKA_CLIENT_SERVICEURL_DEFAULTZONE: 'http://eureka:8761/eureka/' }) }) },
    { name: 'empty', objects: app({ env: env({ SPRING_CLOUD_NACOS_DISCOVERY_PASSWORD: '' }) }) },
    { name: 'prestop-login-from-env', objects: app({ lifecycle: preStop('sh', '-c', 'curl -m 3 -d "username=$U&password=$P" http://nacos:8848/nacos/v1/auth/login; sleep 5') }) },
    { name: 'database-password-is-not-registry', objects: [deployment('db', [{ name: 'db', image: 'postgres:16', env: env({ POSTGRES_PASSWORD: 'p0stgr@s' }) }])] },
  ],
};
