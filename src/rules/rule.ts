import { readExamples } from './example-files';
import { Finding, FindingSeverity } from '../finding';

/**
 * A Kubernetes object to audit, as a plain object (parsed YAML or a synthesized cdk8s object).
 */
export interface AuditDocument {
  /** The manifest object (`apiVersion`, `kind`, `metadata`, …). */
  readonly object: any;
  /**
   * The file the object was read from.
   * @default - not read from a file
   */
  readonly file?: string;
  /**
   * Position of the document in its file (0-based).
   * @default - its position in `AuditInput.documents`
   */
  readonly index?: number;
}

/**
 * A Dockerfile to audit.
 */
export interface AuditDockerfile {
  /** The file name, used as the finding's object name. */
  readonly file: string;
  /** The Dockerfile's text. */
  readonly content: string;
  /**
   * Scripts the Dockerfile references, by path inside the image (e.g. `/app/start.sh`), when known.
   * @default - none known
   */
  readonly scripts?: { [pathInImage: string]: string };
}

/**
 * What to audit: Kubernetes objects (they may refer to each other: a PodDisruptionBudget selecting a
 * Deployment, two services sharing a Consul) and Dockerfiles.
 */
export interface AuditInput {
  /** The Kubernetes objects. */
  readonly documents: AuditDocument[];
  /**
   * Dockerfiles.
   * @default - none
   */
  readonly dockerfiles?: AuditDockerfile[];
}

/**
 * Pass and fail snippets of a rule, shown in the catalogue (`docs/rules.md`); each is tested against the
 * rule.
 */
export interface RuleExamples {
  /** A manifest (YAML) or Dockerfile the rule reports. */
  readonly fail: string;
  /** The same, fixed: the rule reports nothing. */
  readonly pass: string;
}

/**
 * What every rule declares about itself.
 */
export interface RuleProps {
  /** Stable kebab-case id; also the suffix of its suppression annotation. */
  readonly id: string;
  /** Severity of its findings. */
  readonly severity: FindingSeverity;
  /** One line: what the rule reports. */
  readonly title: string;
  /** Why it matters. */
  readonly description: string;
  /** How to fix it, in general. */
  readonly remediation: string;
  /**
   * Pass and fail snippets.
   * @default - read on first use from the files `fail.*` and `pass.*` in `rules/examples/<id>/` of this package (the built-in rules)
   */
  readonly examples?: RuleExamples;
  /**
   * Anchor of the rule in `docs/rules.md`.
   * @default - the id
   */
  readonly docsAnchor?: string;
}

/**
 * What a rule sees: every document and Dockerfile of one audit, so it can look across objects.
 */
export class RuleContext {
  /** The Kubernetes objects, each with its file and index filled in. */
  public readonly documents: AuditDocument[];
  /** The Dockerfiles. */
  public readonly dockerfiles: AuditDockerfile[];

  public constructor(input: AuditInput) {
    this.documents = (input.documents ?? []).map((d, i) => ({ object: d.object, file: d.file, index: d.index ?? i }));
    this.dockerfiles = (input.dockerfiles ?? []).slice();
  }
}

/**
 * One check. Subclasses implement `check` as a pure function of the context; the engine orders the
 * findings and applies suppressions.
 */
export abstract class Rule {
  /** Stable kebab-case id. */
  public readonly id: string;
  /** Severity of its findings. */
  public readonly severity: FindingSeverity;
  /** One line: what the rule reports. */
  public readonly title: string;
  /** Why it matters. */
  public readonly description: string;
  /** How to fix it, in general. */
  public readonly remediation: string;
  /** Anchor of the rule in `docs/rules.md`. */
  public readonly docsAnchor: string;
  private readonly givenExamples?: RuleExamples;
  private loadedExamples?: RuleExamples;

  protected constructor(props: RuleProps) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(props.id)) {
      throw new Error(`rule id '${props.id}' must be kebab-case`);
    }
    this.id = props.id;
    this.severity = props.severity;
    this.title = props.title;
    this.description = props.description;
    this.remediation = props.remediation;
    this.docsAnchor = props.docsAnchor ?? props.id;
    this.givenExamples = props.examples;
  }

  /** Pass and fail snippets for the catalogue. */
  public get examples(): RuleExamples {
    this.loadedExamples ??= this.givenExamples ?? readExamples(this.id);
    return this.loadedExamples;
  }

  /**
   * The findings of this rule over the whole input (before suppressions).
   */
  public abstract check(ctx: RuleContext): Finding[];
}
