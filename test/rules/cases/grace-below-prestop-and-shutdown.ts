import { deployment, env, javaContainer, preStop, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    {
      name: 'default-phase',
      objects: [deployment('a', [javaContainer({ env: env({ SERVER_SHUTDOWN: 'graceful' }), lifecycle: preStop('sleep', '10') })])],
      expect: ['terminationGracePeriodSeconds 30 s (default) < preStop 10 s + shutdown phase 30 s', '= 40 s', '10 s before'],
      path: 'spec.template.spec.terminationGracePeriodSeconds',
    },
    {
      name: 'explicit-phase-in-args',
      objects: [deployment('a', [javaContainer({ args: ['--spring.lifecycle.timeout-per-shutdown-phase=45s'], lifecycle: preStop('sleep', '20') })],
        { pod: { terminationGracePeriodSeconds: 60 } })],
      expect: ['45 s', '= 65 s'],
    },
    {
      name: 'phase-in-java-opts-and-call-bound',
      objects: [deployment('a', [javaContainer({
        env: env({ JAVA_OPTS: '-Xmx1g -Dspring.lifecycle.timeout-per-shutdown-phase=PT20S' }),
        lifecycle: preStop('sh', '-c', 'curl -m 5 -X POST localhost:8080/actuator/serviceregistry?status=DOWN; sleep 20'),
      })], { pod: { terminationGracePeriodSeconds: 40 } })],
      expect: ['preStop 25 s (waits 20 s + calls bounded by 5 s)', '= 45 s'],
    },
    {
      name: 'spring-application-json',
      objects: [deployment('a', [javaContainer({ env: env({ SPRING_APPLICATION_JSON: '{"server":{"shutdown":"graceful"}}' }), lifecycle: preStop('sleep', '5') })])],
      expect: ['SPRING_APPLICATION_JSON'],
    },
    {
      // Spring is known (actuator probe), the shutdown mode is not shown: Spring Boot 3.4's default applies
      name: 'spring-default-graceful',
      objects: [deployment('a', [{
        name: 'a',
        image: 'acme/orders:1',
        ports: [{ containerPort: 8080 }],
        lifecycle: preStop('sleep', '10'),
        readinessProbe: { httpGet: { path: '/actuator/health/readiness', port: 8080 } },
      }])],
      expect: ['Spring Boot ≥ 3.4', 'actuator', '= 40 s', 'at least 50 s', 'Spring Boot < 3.4'],
    },
  ],
  pass: [
    { name: 'spring-immediate', objects: [deployment('a', [javaContainer({ env: env({ SERVER_SHUTDOWN: 'immediate', SPRING_PROFILES_ACTIVE: 'k8s' }), lifecycle: preStop('sleep', '10') })])] },
    { name: 'covered', objects: [deployment('a', [javaContainer({ env: env({ SERVER_SHUTDOWN: 'graceful' }), lifecycle: preStop('sleep', '10') })], { pod: { terminationGracePeriodSeconds: 50 } })] },
    { name: 'no-graceful-shutdown-shown', objects: [deployment('a', [javaContainer({ lifecycle: preStop('sleep', '25') })])] },
    { name: 'phase-alone-fits', objects: [deployment('a', [javaContainer({ env: env({ SERVER_SHUTDOWN: 'graceful' }) })])] },
    { name: 'prestop-exceeds-reported-elsewhere', objects: [deployment('a', [javaContainer({ env: env({ SERVER_SHUTDOWN: 'graceful' }), lifecycle: preStop('sleep', '30') })])] },
    { name: 'not-java', objects: [deployment('a', [{ name: 'n', image: 'nginx:1.27', env: env({ SERVER_SHUTDOWN: 'graceful' }), lifecycle: preStop('sleep', '10') }])] },
  ],
};
