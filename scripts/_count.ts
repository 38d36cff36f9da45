import { load, auditInput } from '../src/cli/load';
import { auditReport } from '../src/rules/engine';
const loaded = load([process.argv[2]], { cwd: process.cwd(), allowEmpty: true } as any);
const r = auditReport(auditInput(loaded));
for (const w of r.workloads) {
  const n = r.findings.filter(x => x.object?.kind === w.object.kind && x.object?.name === w.object.name && x.object?.file === w.object.file).length;
  console.log(`${w.object.file} ${w.object.kind}/${w.object.name} ${w.judgement} findings=${n}: ${w.reason}`);
}
console.log(`workloads ${r.workloads.length}; findings ${r.findings.length}; skipped files ${loaded.skipped.length}`);
