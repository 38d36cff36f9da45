import { deployment, javaContainer, preStop, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    {
      name: 'split-chain',
      objects: [deployment('a', [javaContainer({ lifecycle: preStop('sh', '-c', 'curl -m 3 -X PUT localhost:8080/offline', '&&', 'sleep', '30') })])],
      expect: ['"&&", "sleep", "30"', '$0…$2'],
      path: 'spec.template.spec.containers[0].lifecycle.preStop.exec.command[3]',
    },
    {
      name: 'templated-script',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  template:
    spec:
      containers:
        - name: api
          image: x/api:1
          lifecycle:
            preStop:
              exec:
                command: ["/bin/sh", "-c", { a: 1 }, "sleep 60"]
`,
      expect: ['"sleep 60"'],
    },
    {
      name: 'container-args',
      objects: [deployment('a', [javaContainer({ command: ['sh', '-c', 'exec java -jar /app.jar'], args: ['--server.port=8080'] })])],
      path: 'spec.template.spec.containers[0].args[0]',
    },
    {
      name: 'dockerfile',
      dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["sh", "-c", "exec java -jar /app.jar"]\nCMD ["--server.port=8080"]\n',
      path: 'line 3',
    },
  ],
  pass: [
    { name: 'one-script', objects: [deployment('a', [javaContainer({ lifecycle: preStop('sh', '-c', 'curl -m 3 localhost:8080/offline && sleep 30') })])] },
    { name: 'script-uses-args', objects: [deployment('a', [javaContainer({ command: ['sh', '-c', 'exec java -jar /app.jar "$@"', '--'], args: ['--x=1'] })])] },
    { name: 'a-name-for-$0', objects: [deployment('a', [javaContainer({ command: ['sh', '-c', 'exec java -jar /app.jar', 'sh'] })])] },
    { name: 'dockerfile-cmd-is-the-script', dockerfile: 'FROM openjdk:8-jre-alpine\nENTRYPOINT ["sh", "-c"]\nCMD ["exec java -jar /app.jar"]\n' },
    { name: 'script-file-args', objects: [deployment('a', [javaContainer({ lifecycle: preStop('/bin/sh', '/etc/graceful/prestop.sh', 'curl', '-X', 'PUT', 'x') })])] },
  ],
};
