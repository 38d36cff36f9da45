/**
 * The parts of the SARIF 2.1.0 JSON schema (sarif-schema-2.1.0.json, OASIS errata 01) that the audit's
 * output uses, checked by hand: required properties, types, enums, and `additionalProperties: false` for
 * every object kind we emit. Returns the list of violations (empty when valid).
 */
export function sarifViolations(log: any): string[] {
  const errors: string[] = [];
  const v = new Checker(errors);

  v.object(log, '$', { required: ['version', 'runs'], allowed: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'] });
  v.enum(log.version, '$.version', ['2.1.0']);
  if (log.$schema !== undefined) v.uri(log.$schema, '$.$schema', true);
  v.array(log.runs, '$.runs', 1);
  (log.runs ?? []).forEach((run: any, r: number) => checkRun(v, run, `$.runs[${r}]`));
  return errors;
}

function checkRun(v: Checker, run: any, at: string): void {
  v.object(run, at, {
    required: ['tool'],
    allowed: ['tool', 'invocations', 'results', 'columnKind', 'originalUriBaseIds', 'artifacts', 'logicalLocations', 'properties',
      'automationDetails', 'language', 'defaultEncoding', 'redactionTokens', 'baselineGuid', 'versionControlProvenance'],
  });
  v.object(run.tool, `${at}.tool`, { required: ['driver'], allowed: ['driver', 'extensions', 'properties'] });
  const driver = run.tool?.driver;
  v.object(driver, `${at}.tool.driver`, {
    required: ['name'],
    allowed: ['name', 'version', 'semanticVersion', 'informationUri', 'rules', 'notifications', 'fullName', 'organization',
      'shortDescription', 'fullDescription', 'properties', 'guid', 'product', 'downloadUri', 'language'],
  });
  v.string(driver?.name, `${at}.tool.driver.name`);
  if (driver?.informationUri !== undefined) v.uri(driver.informationUri, `${at}.tool.driver.informationUri`, true);
  if (driver?.rules !== undefined) v.array(driver.rules, `${at}.tool.driver.rules`, 0);
  const ruleIds: string[] = [];
  (driver?.rules ?? []).forEach((rule: any, i: number) => {
    const rat = `${at}.tool.driver.rules[${i}]`;
    v.object(rule, rat, {
      required: ['id'],
      allowed: ['id', 'name', 'shortDescription', 'fullDescription', 'help', 'helpUri', 'defaultConfiguration', 'properties',
        'messageStrings', 'deprecatedIds', 'guid', 'relationships'],
    });
    v.string(rule.id, `${rat}.id`);
    ruleIds.push(rule.id);
    for (const key of ['shortDescription', 'fullDescription', 'help']) {
      if (rule[key] !== undefined) checkMultiformat(v, rule[key], `${rat}.${key}`);
    }
    if (rule.helpUri !== undefined) v.uri(rule.helpUri, `${rat}.helpUri`, true);
    if (rule.defaultConfiguration !== undefined) {
      v.object(rule.defaultConfiguration, `${rat}.defaultConfiguration`, { required: [], allowed: ['enabled', 'level', 'rank', 'parameters', 'properties'] });
      if (rule.defaultConfiguration.level !== undefined) v.enum(rule.defaultConfiguration.level, `${rat}.defaultConfiguration.level`, LEVELS);
    }
  });
  if (new Set(ruleIds).size !== ruleIds.length) v.fail(`${at}.tool.driver.rules: duplicate rule ids`);
  if (run.columnKind !== undefined) v.enum(run.columnKind, `${at}.columnKind`, ['utf16CodeUnits', 'unicodeCodePoints']);

  if (run.invocations !== undefined) v.array(run.invocations, `${at}.invocations`, 0);
  (run.invocations ?? []).forEach((inv: any, i: number) => {
    const iat = `${at}.invocations[${i}]`;
    v.object(inv, iat, {
      required: ['executionSuccessful'],
      allowed: ['executionSuccessful', 'toolExecutionNotifications', 'toolConfigurationNotifications', 'exitCode', 'commandLine',
        'arguments', 'startTimeUtc', 'endTimeUtc', 'workingDirectory', 'properties'],
    });
    v.boolean(inv.executionSuccessful, `${iat}.executionSuccessful`);
    (inv.toolExecutionNotifications ?? []).forEach((n: any, j: number) => {
      const nat = `${iat}.toolExecutionNotifications[${j}]`;
      v.object(n, nat, { required: ['message'], allowed: ['message', 'level', 'locations', 'descriptor', 'associatedRule', 'timeUtc', 'exception', 'properties'] });
      checkMessage(v, n.message, `${nat}.message`);
      if (n.level !== undefined) v.enum(n.level, `${nat}.level`, LEVELS);
      (n.locations ?? []).forEach((l: any, k: number) => checkLocation(v, l, `${nat}.locations[${k}]`));
    });
  });

  if (run.results !== undefined) v.array(run.results, `${at}.results`, 0);
  (run.results ?? []).forEach((res: any, i: number) => {
    const rat = `${at}.results[${i}]`;
    v.object(res, rat, {
      required: ['message'],
      allowed: ['ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'message', 'locations', 'analysisTarget', 'fingerprints', 'partialFingerprints',
        'relatedLocations', 'suppressions', 'fixes', 'properties', 'guid', 'correlationGuid', 'occurrenceCount', 'baselineState', 'rank'],
    });
    checkMessage(v, res.message, `${rat}.message`);
    if (res.level !== undefined) v.enum(res.level, `${rat}.level`, LEVELS);
    if (res.ruleIndex !== undefined) {
      v.integer(res.ruleIndex, `${rat}.ruleIndex`, -1);
      if (res.ruleIndex >= 0 && ruleIds[res.ruleIndex] !== res.ruleId) v.fail(`${rat}.ruleIndex ${res.ruleIndex} does not point at rule ${res.ruleId}`);
    }
    if (res.ruleId !== undefined) v.string(res.ruleId, `${rat}.ruleId`);
    v.array(res.locations ?? [], `${rat}.locations`, 0);
    (res.locations ?? []).forEach((l: any, k: number) => checkLocation(v, l, `${rat}.locations[${k}]`));
    if (res.properties !== undefined) v.object(res.properties, `${rat}.properties`, { required: [], allowed: null });
  });
}

function checkLocation(v: Checker, l: any, at: string): void {
  v.object(l, at, { required: [], allowed: ['id', 'physicalLocation', 'logicalLocations', 'message', 'annotations', 'relationships', 'properties'] });
  if (l.physicalLocation !== undefined) {
    const p = l.physicalLocation;
    const pat = `${at}.physicalLocation`;
    v.object(p, pat, { required: [], allowed: ['artifactLocation', 'region', 'contextRegion', 'address', 'properties'] });
    if (p.artifactLocation === undefined && p.address === undefined) v.fail(`${pat}: needs artifactLocation or address`);
    if (p.artifactLocation !== undefined) {
      v.object(p.artifactLocation, `${pat}.artifactLocation`, { required: [], allowed: ['uri', 'uriBaseId', 'index', 'description', 'properties'] });
      if (p.artifactLocation.uri !== undefined) v.uri(p.artifactLocation.uri, `${pat}.artifactLocation.uri`, false);
      if (p.artifactLocation.uriBaseId !== undefined) v.string(p.artifactLocation.uriBaseId, `${pat}.artifactLocation.uriBaseId`);
    }
    if (p.region !== undefined) {
      v.object(p.region, `${pat}.region`, {
        required: [],
        allowed: ['startLine', 'startColumn', 'endLine', 'endColumn', 'charOffset', 'charLength', 'byteOffset', 'byteLength', 'snippet',
          'message', 'sourceLanguage', 'properties'],
      });
      if (p.region.startLine !== undefined) v.integer(p.region.startLine, `${pat}.region.startLine`, 1);
    }
  }
  (l.logicalLocations ?? []).forEach((ll: any, i: number) => {
    const lat = `${at}.logicalLocations[${i}]`;
    v.object(ll, lat, { required: [], allowed: ['name', 'index', 'fullyQualifiedName', 'decoratedName', 'parentIndex', 'kind', 'properties'] });
    for (const key of ['name', 'fullyQualifiedName', 'kind']) if (ll[key] !== undefined) v.string(ll[key], `${lat}.${key}`);
  });
}

function checkMessage(v: Checker, m: any, at: string): void {
  v.object(m, at, { required: [], allowed: ['text', 'markdown', 'id', 'arguments', 'properties'] });
  if (m?.text === undefined && m?.id === undefined) v.fail(`${at}: needs text or id`);
  if (m?.text !== undefined) v.string(m.text, `${at}.text`);
}

function checkMultiformat(v: Checker, m: any, at: string): void {
  v.object(m, at, { required: ['text'], allowed: ['text', 'markdown', 'properties'] });
  v.string(m?.text, `${at}.text`);
}

const LEVELS = ['none', 'note', 'warning', 'error'];

class Checker {
  public constructor(private readonly errors: string[]) {}

  public fail(message: string): void {
    this.errors.push(message);
  }

  /** An object with these required properties and (unless `allowed` is null) no others. */
  public object(x: any, at: string, shape: { required: string[]; allowed: string[] | null }): void {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) {
      this.fail(`${at}: must be an object`);
      return;
    }
    for (const key of shape.required) if (!(key in x)) this.fail(`${at}: missing required property '${key}'`);
    if (shape.allowed !== null) {
      for (const key of Object.keys(x)) if (!shape.allowed.includes(key)) this.fail(`${at}: property '${key}' is not allowed`);
    }
  }

  public array(x: any, at: string, minItems: number): void {
    if (!Array.isArray(x)) this.fail(`${at}: must be an array`);
    else if (x.length < minItems) this.fail(`${at}: needs at least ${minItems} item(s)`);
  }

  public string(x: any, at: string): void {
    if (typeof x !== 'string') this.fail(`${at}: must be a string`);
  }

  public boolean(x: any, at: string): void {
    if (typeof x !== 'boolean') this.fail(`${at}: must be a boolean`);
  }

  public integer(x: any, at: string, minimum: number): void {
    if (!Number.isInteger(x) || x < minimum) this.fail(`${at}: must be an integer ≥ ${minimum}, got ${JSON.stringify(x)}`);
  }

  public enum(x: any, at: string, values: string[]): void {
    if (!values.includes(x)) this.fail(`${at}: must be one of ${values.join(', ')}, got ${JSON.stringify(x)}`);
  }

  /** format "uri" (absolute) or "uri-reference" (relative allowed). */
  public uri(x: any, at: string, absolute: boolean): void {
    if (typeof x !== 'string') {
      this.fail(`${at}: must be a string`);
      return;
    }
    if (/[\s<>"{}|\\^`]/.test(x)) this.fail(`${at}: '${x}' has characters a URI cannot have`);
    if (absolute && !/^[a-z][a-z0-9+.-]*:/i.test(x)) this.fail(`${at}: '${x}' must be an absolute URI`);
  }
}
