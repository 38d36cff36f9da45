import { deployment, javaContainer, RuleCases } from '../util';

const cmd = (command: string[], image = 'eclipse-temurin:21-jre') => [deployment('a', [javaContainer({ image, command })])];

export const cases: RuleCases = {
  fail: [
    { name: 'two-commands', objects: cmd(['sh', '-c', 'echo start; java -jar /app.jar']), expect: ['does not start with \'exec\''], path: 'spec.template.spec.containers[0].command' },
    { name: 'background-and-wait', objects: cmd(['/bin/bash', '-c', 'java -jar /app.jar & wait']), expect: ['"wait"'] },
    { name: 'lone-command-on-debian', objects: cmd(['/bin/sh', '-c', 'java -jar /app.jar'], 'openjdk:17-jdk-slim'), expect: ['/bin/sh is dash (image openjdk:17-jdk-slim)'] },
    { name: 'dash-explicit', objects: cmd(['dash', '-c', 'java -jar /app.jar'], 'x/y:1') },
    { name: 'bash-redirect', objects: cmd(['bash', '-c', 'java -jar /app.jar > /var/log/app.log']) },
    { name: 'tini-does-not-rescue', objects: cmd(['tini', '-g', '--', 'sh', '-c', 'java -jar /app.jar'], 'openjdk:11'), expect: ['init'] },
    { name: 'dockerfile-shell-form-two-commands', dockerfile: 'FROM eclipse-temurin:21-jre\nCMD sleep 30;java $JAVA_OPTS -jar app.jar\n', path: 'line 2', expect: ['CMD shell form'] },
    {
      name: 'dockerfile-shell-form-continuation-debian',
      dockerfile: 'FROM bellsoft/liberica-openjdk-debian:17\nENTRYPOINT java -Dserver.port=8080 \\\n  # a comment inside\n  -jar app.jar\n',
      path: 'line 2',
      expect: ['/bin/sh is dash'],
    },
    {
      name: 'dockerfile-script-without-exec',
      dockerfile: 'FROM openjdk:21\nCOPY docker/entrypoint.sh entrypoint.sh\nWORKDIR /home\nENTRYPOINT ["/home/entrypoint.sh"]\n',
      scripts: { '/home/entrypoint.sh': '#!/bin/bash\njava -Djava.security.egd=file:/dev/./urandom \\\n  -jar /home/app.jar\n' },
      expect: ['bash script', 'No shell execs the last command of a script file'],
      path: 'line 4',
    },
    {
      name: 'dockerfile-script-by-name-relative-to-workdir',
      dockerfile: 'FROM eclipse-temurin:21-jre\nWORKDIR /app\nENTRYPOINT ["./start.sh"]\n',
      scripts: { 'start.sh': '#!/bin/sh\ncd /app\njava -jar app.jar\n' },
    },
    {
      name: 'dockerfile-sh-script',
      dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["sh", "/start.sh"]\n',
      scripts: { '/start.sh': 'java -jar app.jar\n' },
    },
    {
      // songintae/spring-cloud-config, spring-cloud-config-client/Dockerfile (test/fixtures/real-world/df02-…)
      name: 'dockerfile-alpine-sh-c-runs-script-without-exec',
      dockerfile: 'FROM openjdk:8-jdk-alpine\nCOPY dockerfile-entrypoint.sh .\nENTRYPOINT ["/bin/sh", "-c", "./dockerfile-entrypoint.sh"]\n',
      scripts: { '/dockerfile-entrypoint.sh': './wait-for-it.sh $HOST:$PORT -t 10 -- echo "up"\njava -jar /app.jar\n' },
      path: 'line 3',
      expect: ['BusyBox ash', '("java -jar /app.jar") does not start with \'exec\''],
    },
    {
      name: 'dockerfile-shell-form-execs-script-without-exec',
      dockerfile: 'FROM openjdk:17-alpine\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT exec /entrypoint.sh\n',
      scripts: { '/entrypoint.sh': '#!/bin/bash\nsleep 1\njava -jar /app.jar\n' },
      path: 'line 3',
      expect: ['bash script\'s last command'],
    },
    {
      name: 'dockerfile-inherited-from-stage',
      dockerfile: 'FROM eclipse-temurin:21-jre AS base\nCMD sleep 1; java -jar /app.jar\n\nFROM base\nLABEL x=y\n',
      path: 'line 2',
    },
  ],
  pass: [
    { name: 'exec-form', objects: cmd(['java', '-jar', '/app.jar']) },
    { name: 'exec-in-script', objects: cmd(['sh', '-c', 'echo start; exec java -jar /app.jar']) },
    { name: 'bash-lone-command', objects: cmd(['bash', '-c', 'java -jar /app.jar']) },
    { name: 'alpine-lone-command', objects: cmd(['sh', '-c', 'java -jar /app.jar'], 'openjdk:8-jre-alpine') },
    { name: 'oracle-linux-lone-command', objects: cmd(['sh', '-c', 'java -jar /app.jar'], 'openjdk:21') },
    { name: 'shell-loop-sidecar', objects: [deployment('a', [javaContainer({ lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } }), { name: 'log', image: 'busybox', command: ['sh', '-c', 'while true; do sleep 5; done'] }])] },
    { name: 'init-container', objects: [deployment('a', [javaContainer()], { pod: { initContainers: [{ name: 'wait', image: 'busybox', command: ['sh', '-c', 'until nc -z db 5432; do sleep 1; done'] }] } })] },
    { name: 'dockerfile-exec-form', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["java", "-jar", "/app.jar"]\n' },
    { name: 'dockerfile-alpine-sh-c-cmd', dockerfile: 'FROM openjdk:8-jre-alpine\nENTRYPOINT ["sh", "-c"]\nCMD ["java -jar /app/sc-A.jar"]\n' },
    {
      name: 'dockerfile-script-with-exec',
      dockerfile: 'FROM openjdk:11.0-jre\nENTRYPOINT ["/workspace/app/bin/entrypoint.sh"]\n',
      scripts: { 'bin/entrypoint.sh': '#!/bin/sh\nJAVA_OPTS="${JAVA_OPTS} -Dserver.port=${SERVER_PORT}"\nexec java ${JAVA_OPTS} org.springframework.boot.loader.JarLauncher $@\n' },
    },
    {
      name: 'dockerfile-alpine-sh-c-runs-script-with-exec',
      dockerfile: 'FROM openjdk:8-jdk-alpine\nCOPY start.sh .\nENTRYPOINT ["/bin/sh", "-c", "./start.sh"]\n',
      scripts: { '/start.sh': '#!/bin/sh\nexec java -jar /app.jar\n' },
    },
    { name: 'dockerfile-last-stage-only', dockerfile: 'FROM maven:3 AS build\nCMD sleep 1; mvn package\n\nFROM eclipse-temurin:21-jre\nENTRYPOINT ["java", "-jar", "/app.jar"]\n' },
    { name: 'dockerfile-not-java', dockerfile: 'FROM nginx:1.27\nCMD envsubst < /t > /etc/nginx/conf.d/default.conf; nginx -g "daemon off;"\n' },
    { name: 'container-not-java', objects: [deployment('web', [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], command: ['sh', '-c', 'envsubst < /t > /c; nginx -g "daemon off;"'] }])] },
    { name: 'dockerfile-suppressed', dockerfile: '# graceful.cdk8s.io/suppress-pid1-shell-without-exec: runs under a supervisor\nFROM eclipse-temurin:21-jre\nCMD sleep 1; java -jar /app.jar\n' },
  ],
};
