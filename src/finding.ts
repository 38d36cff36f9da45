/**
 * Severity of a finding.
 */
export enum FindingSeverity {
  /** Loses requests or breaks termination; fails synthesis and `audit --fail-on error`. */
  ERROR = 'error',
  /** Probably wrong; the manifest is still emitted. */
  WARNING = 'warning',
  /** Worth knowing. */
  INFO = 'info',
}

/**
 * The Kubernetes object (or file) a finding is about.
 */
export interface FindingObject {
  /** Kind, e.g. `Deployment`; `Dockerfile` for Dockerfiles. */
  readonly kind: string;
  /** `metadata.name` (or the file name for a Dockerfile). */
  readonly name: string;
  /**
   * `metadata.namespace`.
   * @default - none given
   */
  readonly namespace?: string;
  /**
   * The file the object was read from.
   * @default - not read from a file
   */
  readonly file?: string;
  /**
   * Position of the object's document in its file (0-based), or in the audit's input when it was not read
   * from a file.
   * @default - not known
   */
  readonly index?: number;
}

/**
 * Something about a configuration that is wrong or worth a look.
 */
export interface Finding {
  /** Stable kebab-case id (the rule's id). */
  readonly id: string;
  /** How much it matters. */
  readonly severity: FindingSeverity;
  /** What was found, with the numbers. */
  readonly message: string;
  /** What to do about it. */
  readonly remediation: string;
  /**
   * The object the finding is about.
   * @default - the construct's own configuration
   */
  readonly object?: FindingObject;
  /**
   * JSON path inside the object, e.g. `spec.template.spec.containers[0].lifecycle.preStop`.
   * @default - the whole object
   */
  readonly path?: string;

  /**
   * The remediation as changes to the finding's object, when it is one: applied together, they make the rule
   * stop reporting the object without making another rule report it (tested on every rule's fail examples).
   * @default - no structured fix: follow the remediation text
   */
  readonly fix?: FindingFix[];
}

/**
 * One change of a structured fix: set the value at a JSON path of the finding's object.
 */
export interface FindingFix {
  /**
   * JSON path inside the object, in the form of `Finding.path` (dots and `[index]`), e.g.
   * `spec.template.spec.terminationGracePeriodSeconds`. Missing mappings on the way are created.
   */
  readonly path: string;

  /**
   * The value to set there (JSON: a number, a string or a mapping); `null` removes the field.
   */
  readonly value: any;
}
