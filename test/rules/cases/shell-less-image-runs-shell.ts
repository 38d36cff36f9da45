import { deployment, preStop, RuleCases } from '../util';

const c = (image: string, extra: any = {}) => ({ name: 'app', image, ports: [{ containerPort: 8080 }], ...extra });

export const cases: RuleCases = {
  fail: [
    {
      name: 'distroless-sh-prestop',
      objects: [deployment('a', [c('gcr.io/distroless/java21-debian12:nonroot', { lifecycle: preStop('/bin/sh', '-c', 'sleep 20') })], { pod: { terminationGracePeriodSeconds: 40 } })],
      expect: ['gcr.io/distroless/java21-debian12:nonroot', 'a shell (/bin/sh)', 'FailedPreStopHook', 'sleep: {seconds: 20}'],
      path: 'spec.template.spec.containers[0].lifecycle.preStop.exec.command',
    },
    { name: 'chainguard-script', objects: [deployment('a', [c('cgr.dev/chainguard/jre:latest', { lifecycle: preStop('/opt/prestop.sh') })])], expect: ['Chainguard', 'sleep: {seconds: 10}'] },
    { name: 'distroless-tag', objects: [deployment('a', [c('mcr.microsoft.com/openjdk/jdk:21-distroless', { command: ['sh', '-c', 'java -jar /app.jar'] })])], path: 'spec.template.spec.containers[0].command', expect: ['cannot start the application'] },
    { name: 'distroless-sleep-command', objects: [deployment('a', [c('gcr.io/distroless/java17', { lifecycle: preStop('sleep', '15') })])], expect: ['the program sleep', 'sleep: {seconds: 15}', 'PreStopHook.sleepAction()'] },
  ],
  pass: [
    { name: 'java-command', objects: [deployment('a', [c('gcr.io/distroless/java17', { command: ['java', '-jar', '/app.jar'], lifecycle: { preStop: { httpGet: { path: '/prestop', port: 8080 } } } })])] },
    { name: 'debug-tag', objects: [deployment('a', [c('gcr.io/distroless/java21-debian12:debug', { lifecycle: preStop('/busybox/sh', '-c', 'sleep 10') })])] },
    { name: 'chainguard-dev', objects: [deployment('a', [c('cgr.dev/chainguard/jre:latest-dev', { lifecycle: preStop('sh', '-c', 'sleep 10') })])] },
    { name: 'sleep-action', objects: [deployment('a', [c('gcr.io/distroless/java21-debian12', { lifecycle: { preStop: { sleep: { seconds: 10 } } } })])] },
    { name: 'args-only', objects: [deployment('a', [c('gcr.io/distroless/java21-debian12', { args: ['sh.jar'] })])] },
    { name: 'image-with-shell', objects: [deployment('a', [c('eclipse-temurin:21-jre', { lifecycle: preStop('sh', '-c', 'sleep 10') })])] },
  ],
};
