import { deployment, javaContainer, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    { name: 'dockerfile-script', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["/app/entrypoint.sh"]\n', expect: ['/app/entrypoint.sh'], path: 'line 2' },
    { name: 'sh-script-in-manifest', objects: [deployment('a', [javaContainer({ command: ['/bin/sh', '/app/start.sh'] })])], expect: ['/app/start.sh'] },
    { name: 'under-tini', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["tini", "--", "/docker-entrypoint.sh"]\n' },
  ],
  pass: [
    { name: 'script-given', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["/app/entrypoint.sh"]\n', scripts: { '/app/entrypoint.sh': '#!/bin/sh\nexec java -jar /app.jar\n' } },
    { name: 'binary', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["/opt/app/bin/server"]\n' },
    { name: 'no-command', dockerfile: 'FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\n' },
  ],
};
