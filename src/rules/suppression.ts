/**
 * Per-object suppression of a rule: the annotation `graceful.cdk8s.io/suppress-<rule-id>: "<reason>"` on
 * the object's metadata or on its pod template's metadata. A suppression needs a reason: an empty one does
 * not suppress and is itself reported (rule `suppression-invalid`).
 */
export class Suppression {
  /** Prefix of the suppression annotations. */
  public static readonly ANNOTATION_PREFIX = 'graceful.cdk8s.io/suppress-';

  /** The annotation key that suppresses `ruleId`. */
  public static annotationKey(ruleId: string): string {
    return `${Suppression.ANNOTATION_PREFIX}${ruleId}`;
  }

  /**
   * The annotations to put on an object (or its pod template) to suppress `ruleId` for it.
   * @throws when the reason is empty
   */
  public static annotations(ruleId: string, reason: string): { [key: string]: string } {
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`a suppression of '${ruleId}' needs a reason: give why the rule does not apply to this object`);
    }
    return { [Suppression.annotationKey(ruleId)]: reason };
  }

  /**
   * The reason `ruleId` is suppressed for this manifest object (its metadata, then its pod template's), or
   * undefined when it is not (also when the reason is empty).
   */
  public static reason(object: any, ruleId: string): string | undefined {
    const key = Suppression.annotationKey(ruleId);
    for (const meta of [object?.metadata, object?.spec?.template?.metadata, object?.spec?.jobTemplate?.spec?.template?.metadata]) {
      const annotations = meta && typeof meta === 'object' ? meta.annotations : undefined;
      const value = annotations && typeof annotations === 'object' ? annotations[key] : undefined;
      if (typeof value === 'string' && value.trim() !== '') return value;
    }
    return undefined;
  }

  private constructor() {}
}

/** @internal */
export interface SuppressionAnnotation {
  readonly ruleId: string;
  readonly reason: string;
  /** JSON path of the annotation. */
  readonly path: string;
}

/**
 * Every suppression annotation of an object (metadata and pod template metadata), valid or not.
 * @internal
 */
export function suppressionAnnotations(object: any): SuppressionAnnotation[] {
  const out: SuppressionAnnotation[] = [];
  for (const [metaPath, annotations] of annotationSetsWithPath(object)) {
    for (const key of Object.keys(annotations)) {
      if (key.startsWith(Suppression.ANNOTATION_PREFIX)) {
        const value = annotations[key];
        out.push({
          ruleId: key.slice(Suppression.ANNOTATION_PREFIX.length),
          reason: typeof value === 'string' ? value : String(value ?? ''),
          path: `${metaPath}.annotations["${key}"]`,
        });
      }
    }
  }
  return out;
}

function annotationSetsWithPath(object: any): [string, { [key: string]: any }][] {
  const out: [string, { [key: string]: any }][] = [];
  const add = (path: string, meta: any) => {
    if (meta && typeof meta === 'object' && meta.annotations && typeof meta.annotations === 'object') {
      out.push([path, meta.annotations]);
    }
  };
  add('metadata', object?.metadata);
  add('spec.template.metadata', object?.spec?.template?.metadata);
  add('spec.jobTemplate.spec.template.metadata', object?.spec?.jobTemplate?.spec?.template?.metadata);
  return out;
}
