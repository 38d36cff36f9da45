import { CommandInstruction, FinalImage, finalImage, parseDockerfile, Stage } from './parse';
import { Finding, FindingObject } from '../../finding';
import { ScriptText } from '../../shell/signals';
import { basename } from '../../shell/tokenize';
import { AuditDockerfile, Rule, RuleContext } from '../rule';

/** A Dockerfile of the audit, read. @internal */
export interface DockerfileModel {
  readonly df: AuditDockerfile;
  readonly stages: Stage[];
  readonly final?: FinalImage;
  /** Why we think the image runs a JVM, or undefined. */
  readonly jvm?: string;
  /** A script's text by its path in the image (exact, relative to WORKDIR, or a unique file name). */
  readonly scriptText: ScriptText;
}

const cache = new WeakMap<RuleContext, DockerfileModel[]>();

/** @internal */
export function dockerfiles(ctx: RuleContext): DockerfileModel[] {
  let list = cache.get(ctx);
  if (list === undefined) {
    list = ctx.dockerfiles.map(read);
    cache.set(ctx, list);
  }
  return list;
}

const JVM_BASE = /(openjdk|java|jdk|jre|temurin|corretto|zulu|liberica|graalvm|semeru|dragonwell|adoptopenjdk|tomcat|jetty|wildfly|jboss)/i;

function read(df: AuditDockerfile): DockerfileModel {
  const stages = parseDockerfile(df.content ?? '');
  const final = finalImage(stages);
  const scripts = df.scripts ?? {};
  const scriptText = (path: string): string | undefined => {
    if (scripts[path] !== undefined) return scripts[path];
    if (final && !path.startsWith('/')) {
      const abs = `${final.workdir.replace(/\/$/, '')}/${path.replace(/^\.\//, '')}`;
      if (scripts[abs] !== undefined) return scripts[abs];
    }
    const byName = Object.keys(scripts).filter(k => basename(k) === basename(path));
    return byName.length === 1 ? scripts[byName[0]] : undefined;
  };
  let jvm: string | undefined;
  if (final) {
    const text = (final.argv ?? []).join(' ');
    const script = final.argv && final.argv.length > 0 ? scriptText(final.argv[0]) : undefined;
    if (/(^|[\s/])java(\s|$)|-jar\s|\.jar(\s|$)|JarLauncher/.test(text)) jvm = 'its command runs java';
    else if (script && /(^|[\s/])java\s/.test(script)) jvm = 'its entrypoint script runs java';
    else if (JVM_BASE.test(final.baseImage)) jvm = `base image ${final.baseImage}`;
    else if ([...final.env.keys()].some(k => /^(JAVA_|JVM_|SPRING_)/.test(k))) jvm = 'ENV JAVA_*/SPRING_*';
  }
  return { df, stages, final, jvm, scriptText };
}

/** @internal */
export function dockerfileObject(df: AuditDockerfile): FindingObject {
  return { kind: 'Dockerfile', name: df.file, file: df.file };
}

/** @internal */
export function dockerfileFinding(rule: Rule, df: AuditDockerfile, line: number | undefined, message: string, remediation?: string): Finding {
  return {
    id: rule.id,
    severity: rule.severity,
    message,
    remediation: remediation ?? rule.remediation,
    object: dockerfileObject(df),
    path: line !== undefined ? `line ${line}` : undefined,
  };
}

/**
 * Which program `/bin/sh` is in an image, from its name: `dash` (Debian, Ubuntu and images built on them,
 * which never exec a lone `-c` command), `busybox` (Alpine, BusyBox), `bash` (Red Hat family, Amazon Linux,
 * Oracle Linux, CBL-Mariner: the official openjdk ≥ 17 images), or undefined when the name does not tell. The
 * distribution a JDK image's default tags are built on is its Docker Hub page's: Eclipse Temurin, AdoptOpenJDK,
 * SapMachine and Azul Zulu on Ubuntu (their `-alpine`, `-centos`, `-ubi…` tags say otherwise), the deprecated
 * official `java` images on Debian, `amazoncorretto` on Amazon Linux, `openjdk` 8 and 11 on Debian and ≥ 17 on
 * Oracle Linux. Windows images have no `/bin/sh`.
 * @internal
 */
export function shOf(image: string): 'dash' | 'busybox' | 'bash' | undefined {
  const i = image.toLowerCase();
  if (/windowsservercore|nanoserver/.test(i)) return undefined;
  if (/alpine|busybox/.test(i)) return 'busybox';
  // the distribution named in a tag wins over the image's default (eclipse-temurin:21-ubi9-minimal is not Ubuntu)
  if (/oraclelinux|centos|rhel|(^|[-:/_.])ubi([0-9]|[-_.]|$)|fedora|amazonlinux|rockylinux|almalinux|anolis|mariner|-al20(2[0-9])?\b/.test(i)) return 'bash';
  if (/debian|ubuntu|slim|buster|bullseye|bookworm|trixie|stretch|jessie|focal|jammy|noble|bionic|xenial|temurin|liberica-openjdk-debian/.test(i)) return 'dash';
  if (/(^|\/)(adoptopenjdk|sapmachine|zulu-openjdk)|(^|\/)java:/.test(i)) return 'dash';
  if (/(^|\/)openjdk:(8|11)([.\-u]|$)/.test(i) || /(^|\/)openjdk:(8|11)$/.test(i)) return 'dash';
  if (/(^|\/)amazoncorretto:[0-9]+(-jdk|-jre)?$|(^|\/)openjdk:(1[7-9]|2[0-9])(\.[0-9.]+)?(-jdk|-jre)?(-oracle(linux[0-9]*)?)?$/.test(i)) return 'bash';
  return undefined;
}

/**
 * The instruction that decides what the final image runs (for messages and line numbers): a shell-form ENTRYPOINT,
 * or an exec-form one without CMD; else the CMD (the arguments of an exec-form ENTRYPOINT); else the ENTRYPOINT.
 * Undefined when the image has neither.
 * @internal
 */
export function decidingInstruction(f: FinalImage): CommandInstruction | undefined {
  return f.entrypoint && (!f.entrypoint.execForm || !f.cmd) ? f.entrypoint : f.cmd ?? f.entrypoint;
}

/** An argv for messages: its first six words, then `…`. @internal */
export function shortArgv(argv: readonly string[]): string {
  return JSON.stringify(argv.length > 6 ? [...argv.slice(0, 6), '…'] : argv);
}
