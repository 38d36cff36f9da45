import { RuleCases } from '../util';

export const cases: RuleCases = {
  fail: [
    { name: 'sigkill', dockerfile: 'FROM eclipse-temurin:21-jre\nSTOPSIGNAL SIGKILL\nENTRYPOINT ["java", "-jar", "/app.jar"]\n', path: 'line 2', expect: ['STOPSIGNAL SIGKILL'] },
    { name: 'number-3', dockerfile: 'FROM registry.example.com/base:1\nSTOPSIGNAL 3\nENTRYPOINT ["java", "-jar", "/app.jar"]\n' },
    { name: 'inherited', dockerfile: 'FROM eclipse-temurin:21-jre AS base\nSTOPSIGNAL SIGQUIT\n\nFROM base\nENTRYPOINT ["java", "-jar", "/app.jar"]\n', path: 'line 2' },
  ],
  pass: [
    { name: 'sigterm', dockerfile: 'FROM openjdk:17-jdk-slim\nENTRYPOINT ["/app/entrypoint.sh"]\nSTOPSIGNAL SIGTERM\n' },
    { name: 'sigint-runs-hooks', dockerfile: 'FROM eclipse-temurin:21-jre\nSTOPSIGNAL SIGINT\nENTRYPOINT ["java", "-jar", "/app.jar"]\n' },
    { name: 'nginx-quit', dockerfile: 'FROM nginx:1.27\nSTOPSIGNAL SIGQUIT\nCMD ["nginx", "-g", "daemon off;"]\n' },
    { name: 'earlier-stage-only', dockerfile: 'FROM eclipse-temurin:21-jdk AS build\nSTOPSIGNAL SIGKILL\n\nFROM eclipse-temurin:21-jre\nENTRYPOINT ["java", "-jar", "/app.jar"]\n' },
  ],
};
