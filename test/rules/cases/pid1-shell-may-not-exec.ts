import { deployment, javaContainer, RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    { name: 'unknown-image', objects: [deployment('a', [javaContainer({ image: 'registry.example.com/base/jdk:1', command: ['/bin/sh', '-c', 'java -jar /app.jar'] })])], expect: ['dash', 'registry.example.com/base/jdk:1'] },
    { name: 'dockerfile-unknown-base', dockerfile: 'FROM lion/jdk:1.0.0\nENTRYPOINT ["/bin/sh","-c","java -jar app.jar ${JAVA_OPTS}"]\n', path: 'line 2' },
    { name: 'dockerfile-shell-form-unknown-base', dockerfile: 'FROM lion/jdk:1.0.0\nENTRYPOINT java -jar app.jar\n' },
  ],
  pass: [
    { name: 'exec', objects: [deployment('a', [javaContainer({ image: 'registry.example.com/base/jdk:1', command: ['/bin/sh', '-c', 'exec java -jar /app.jar'] })])] },
    { name: 'known-dash-is-an-error-instead', objects: [deployment('a', [javaContainer({ image: 'eclipse-temurin:21-jre', command: ['/bin/sh', '-c', 'java -jar /app.jar'] })])] },
    { name: 'bash', dockerfile: 'FROM lion/jdk:1.0.0\nENTRYPOINT ["/bin/bash","-c","java -jar app.jar"]\n' },
    { name: 'shell-instruction-bash', dockerfile: 'FROM lion/jdk:1.0.0\nSHELL ["/bin/bash", "-c"]\nENTRYPOINT java -jar app.jar\n' },
  ],
};
