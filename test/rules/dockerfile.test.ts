import { shOf } from '../../src/rules/dockerfile/model';
import { finalImage, parseDockerfile } from '../../src/rules/dockerfile/parse';

describe('parseDockerfile', () => {
  test('continuations are joined, comment lines inside them dropped, lines numbered from the keyword', () => {
    const stages = parseDockerfile('# syntax=docker/dockerfile:1\nFROM a\n\nRUN echo a \\\n  # comment\n  && echo b\nCMD ["x"]\n');
    expect(stages[0].instructions.map(i => [i.keyword, i.line, i.args])).toEqual([['RUN', 4, 'echo a   && echo b'], ['CMD', 7, '["x"]']]);
  });

  test('the escape directive', () => {
    const stages = parseDockerfile('# escape=`\nFROM a\nRUN dir `\n  c:\\\nCMD x\n');
    expect(stages[0].instructions.map(i => i.keyword)).toEqual(['RUN', 'CMD']);
  });

  test('heredocs are skipped', () => {
    const stages = parseDockerfile('FROM a\nRUN <<EOF\nCMD not-an-instruction\nEOF\nCMD ["real"]\n');
    expect(stages[0].instructions.map(i => [i.keyword, i.args])).toEqual([['RUN', '<<EOF'], ['CMD', '["real"]']]);
  });

  test('exec form only for a JSON array of strings', () => {
    const [s] = parseDockerfile("FROM a\nCMD ['java']\nENTRYPOINT [\"java\", \"-jar\"]\n");
    expect(s.instructions.map(i => i.json)).toEqual([undefined, ['java', '-jar']]);
  });
});

describe('finalImage', () => {
  test('ENTRYPOINT exec + CMD are joined; SHELL changes the shell form', () => {
    const f = finalImage(parseDockerfile('FROM a\nSHELL ["/bin/bash", "-c"]\nENTRYPOINT ["java"]\nCMD ["-jar", "x.jar"]\n'))!;
    expect(f.argv).toEqual(['java', '-jar', 'x.jar']);
    const g = finalImage(parseDockerfile('FROM a\nSHELL ["/bin/bash", "-c"]\nCMD java -jar x.jar\n'))!;
    expect(g.argv).toEqual(['/bin/bash', '-c', 'java -jar x.jar']);
  });

  test('the last stage inherits through FROM <stage>; an ENTRYPOINT there resets the inherited CMD', () => {
    const f = finalImage(parseDockerfile('FROM eclipse-temurin:21 AS base\nENV A=1 B="two words"\nCMD ["x"]\nFROM maven AS build\nFROM base\nWORKDIR app\nENTRYPOINT ["java"]\n'))!;
    expect([f.baseImage, f.argv, f.env.get('B'), f.workdir]).toEqual(['eclipse-temurin:21', ['java'], 'two words', '/app']);
  });

  test('no stage, no command', () => {
    expect(finalImage(parseDockerfile(''))).toBeUndefined();
    expect(finalImage(parseDockerfile('FROM a\n'))!.argv).toBeUndefined();
  });
});

test.each([
  ['openjdk:8-jdk', 'dash'], ['openjdk:11.0-jre', 'dash'], ['openjdk:17-jdk-slim', 'dash'], ['eclipse-temurin:21-jre', 'dash'],
  ['bellsoft/liberica-openjdk-debian:17', 'dash'], ['openjdk:8-jre-alpine', 'busybox'], ['eclipse-temurin:21-jre-alpine', 'busybox'],
  ['openjdk:21', 'bash'], ['amazoncorretto:17', 'bash'], ['lion/jdk:1.0.0', undefined],
  // the deprecated official java images (Debian), AdoptOpenJDK, SapMachine and Zulu default tags (Ubuntu)
  ['java:8', 'dash'], ['java:8-jre', 'dash'], ['java:8-jdk-alpine', 'busybox'], ['adoptopenjdk/openjdk11:latest', 'dash'],
  ['adoptopenjdk:11-jre-hotspot', 'dash'], ['adoptopenjdk/openjdk8:centos', 'bash'], ['sapmachine:17', 'dash'], ['azul/zulu-openjdk:17', 'dash'],
  // a distribution in the tag wins over the image's default; Windows images have no /bin/sh
  ['eclipse-temurin:21-ubi9-minimal', 'bash'], ['adoptopenjdk:11-jre-hotspot-ubi-minimal', 'bash'], ['amazoncorretto:21-al2023', 'bash'],
  ['eclipse-temurin:21-jdk-windowsservercore', undefined], ['example/ubuntu-java:1', 'dash'], ['example/orders:1', undefined],
])('/bin/sh of %s is %s', (image, sh) => {
  expect(shOf(image)).toBe(sh);
});
