import { RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    { name: 'shell-entrypoint-and-cmd', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT exec java -jar /app.jar\nCMD ["--spring.profiles.active=prod"]\n', path: 'line 3', expect: ['line 2'] },
  ],
  pass: [
    { name: 'exec-entrypoint', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["java", "-jar", "/app.jar"]\nCMD ["--x"]\n' },
    { name: 'shell-entrypoint-alone', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT exec java -jar /app.jar\n' },
    { name: 'cmd-from-earlier-stage-reset', dockerfile: 'FROM eclipse-temurin:21-jre AS base\nCMD ["--x"]\n\nFROM base\nENTRYPOINT exec java -jar /app.jar\n' },
  ],
};
