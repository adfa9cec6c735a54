/**
 * `--report-dir`'s scan-report.sarif: SARIF 2.1.0 with one run per image/platform (each its own
 * `automationDetails.id`, so GitHub code scanning keeps them apart), one rule per vulnerability id
 * with a `security-severity` GitHub ranks by, and one result per finding located at the image's
 * Dockerfile. Findings an exception let through carry an accepted external suppression. Pure.
 */
import path from 'node:path';
import type { Log, ReportingDescriptor, Result, Run } from 'sarif';
import type { Severity } from '../config/scan.js';
import type { Finding } from './finding.js';
import type { JudgedFinding } from './policy.js';
import type { ScanRecord } from './record.js';

/** What GitHub reads as critical (≥ 9.0), high (≥ 7.0), medium (≥ 4.0) and low. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0', UNKNOWN: '0.0' };

const INFORMATION_URI = { trivy: 'https://trivy.dev', grype: 'https://github.com/anchore/grype' } as const;
const TOOL_NAME = { trivy: 'Trivy', grype: 'Grype' } as const;

export interface SarifOptions {
  /** Locations are written relative to this directory (the repository root, usually the config's). */
  readonly baseDir: string;
}

export function toSarif(records: readonly ScanRecord[], options: SarifOptions): Log {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: records.map((record) => toRun(record, options)),
  };
}

function toRun(record: ScanRecord, options: SarifOptions): Run {
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  for (const { finding } of record.verdict.findings) {
    if (ruleIndex.has(finding.id)) continue;
    ruleIndex.set(finding.id, rules.length);
    rules.push(toRule(finding));
  }
  const uri = path.relative(options.baseDir, record.dockerfile).split(path.sep).join('/');
  return {
    tool: {
      driver: {
        name: TOOL_NAME[record.scanner.name],
        version: record.scanner.version,
        informationUri: INFORMATION_URI[record.scanner.name],
        rules,
      },
    },
    automationDetails: { id: `multiarch/scan/${record.image}/${record.platform.replaceAll('/', '-')}/` },
    results: record.verdict.findings.map((judged) => toResult(judged, record, uri, ruleIndex.get(judged.finding.id)!)),
    properties: {
      image: record.image,
      platform: record.platform,
      imageId: record.imageId,
      vulnerabilityDb: record.scanner.db.version,
      passed: record.verdict.passed,
    },
  };
}

function toRule(f: Finding): ReportingDescriptor {
  const text = f.title || f.id;
  return {
    id: f.id,
    name: f.id,
    shortDescription: { text },
    fullDescription: { text },
    ...(f.url ? { helpUri: f.url } : {}),
    help: {
      text: `${f.id} (${f.severity})${f.url ? `: ${f.url}` : ''}`,
      markdown: `**${f.id}** (${f.severity})${f.url ? ` — [details](${f.url})` : ''}`,
    },
    properties: { 'security-severity': SECURITY_SEVERITY[f.severity], tags: ['security', 'vulnerability', f.severity] },
  };
}

function toResult({ finding: f, disposition, exception }: JudgedFinding, record: ScanRecord, uri: string, ruleIndex: number): Result {
  const fix = f.fixed ? `fixed in ${f.fixed}` : 'no fixed version';
  return {
    ruleId: f.id,
    ruleIndex,
    level: disposition === 'fail' ? 'error' : f.severity === 'LOW' || f.severity === 'UNKNOWN' ? 'note' : 'warning',
    message: { text: `${f.package} ${f.installed} in ${record.image} ${record.platform} has ${f.id} (${f.severity}, ${fix})${f.title ? `: ${f.title}` : ''}` },
    locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } } }],
    partialFingerprints: { 'multiarchFinding/v1': [record.image, record.platform, f.id, f.package, f.installed].join(':') },
    ...(disposition === 'excepted' && exception
      ? { suppressions: [{ kind: 'external' as const, status: 'accepted' as const, justification: `${exception.source} until ${exception.until}: ${exception.reason}` }] }
      : {}),
    properties: { package: f.package, installed: f.installed, fixed: f.fixed, severity: f.severity, status: f.status, target: f.target, disposition },
  };
}
