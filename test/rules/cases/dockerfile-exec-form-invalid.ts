import { RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    // typographic quotes, as in a Dockerfile of JiriFrankCZ/springler-hais (commit 5505424)
    { name: 'typographic-quotes', dockerfile: 'FROM openjdk:8-jdk-alpine\nCOPY app.jar /app.jar\nENTRYPOINT [“java”, “-jar”, “/app.jar”]\n', path: 'line 3', expect: ['program named "[“java”,"', 'only straight double quotes'] },
    { name: 'single-quotes', dockerfile: "FROM eclipse-temurin:21-jre\nCMD ['java', '-jar', '/app.jar']\n", path: 'line 2', expect: ['program named "[java,"', 'exits with 127'] },
    { name: 'missing-comma', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["java" "-jar" "/app.jar"]\n', path: 'line 2' },
    { name: 'cmd-after-exec-entrypoint', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["java", "-jar", "/app.jar"]\nCMD [\'--spring.profiles.active=prod\']\n', path: 'line 3' },
  ],
  pass: [
    { name: 'valid-exec-form', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["java", "-jar", "/app.jar"]\n' },
    { name: 'shell-form', dockerfile: 'FROM eclipse-temurin:21-jre\nENTRYPOINT exec java -jar /app.jar\n' },
    // only the final image's ENTRYPOINT / CMD run
    { name: 'earlier-stage', dockerfile: "FROM maven:3 AS build\nCMD ['mvn', 'package']\n\nFROM eclipse-temurin:21-jre\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n" },
  ],
};
