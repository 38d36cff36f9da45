import { deployment, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    { name: 'cmd-shell-form', dockerfile: 'FROM eclipse-temurin:21-jre\nCMD sleep 30; exec java -jar /app.jar\n', expect: ["'sleep 30' (30 s)", "'exec java -jar /app.jar'", 'dash, bash and BusyBox'], path: 'line 2' },
    { name: 'and-chain-in-exec-form', dockerfile: 'FROM alpine:3.20\nENTRYPOINT ["sh", "-c", "sleep 5 && exec /app/server"]\n', expect: ["'sleep 5' (5 s)"] },
    {
      name: 'entrypoint-script',
      dockerfile: 'FROM eclipse-temurin:21-jre\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n',
      scripts: { '/start.sh': '#!/bin/sh\necho waiting for the database\nsleep 1m\nexec java -jar /app.jar\n' },
      expect: ['the script /start.sh', '(60 s)'],
    },
    {
      name: 'manifest-command',
      objects: [deployment('a', [{ name: 'a', image: 'acme/orders:1', ports: [{ containerPort: 8080 }], command: ['sh', '-c', 'sleep 20 && exec java -jar /app.jar'] }])],
      expect: ['terminationGracePeriodSeconds 30 s (default)', "remove 'sleep 20'"],
      path: 'spec.template.spec.containers[0].command',
    },
  ],
  pass: [
    { name: 'exec-form', dockerfile: 'FROM eclipse-temurin:21-jre\nCMD ["java", "-jar", "/app.jar"]\n' },
    { name: 'no-exec-is-the-pid1-rule', dockerfile: 'FROM eclipse-temurin:21-jre\nCMD sleep 30; java -jar /app.jar\n' },
    { name: 'trap', dockerfile: 'FROM eclipse-temurin:21-jre\nCMD trap "exit 0" TERM; sleep 30; exec java -jar /app.jar\n' },
    { name: 'tini', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["tini", "--", "sh", "-c", "sleep 30; exec java -jar /app.jar"]\n' },
    { name: 'background-sleep', dockerfile: 'FROM eclipse-temurin:21-jre\nCMD sleep 30 & exec java -jar /app.jar\n' },
    { name: 'sleep-after-exec-line', dockerfile: 'FROM eclipse-temurin:21-jre\nCMD exec java -jar /app.jar\n' },
  ],
};
