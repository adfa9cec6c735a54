// Shared by the fake `trivy` and `grype` executables (test doubles for the e2e tests: the real
// scanners cannot be installed on the test machines). They replay recorded outputs in the real
// formats (test/fixtures/scanners), check the arguments they are called with, and log every call.
import { appendFileSync, readFileSync } from 'node:fs';

export const FIXTURES = new URL('../../../fixtures/scanners/', import.meta.url);

export function fixture(name) {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** Every call, as a JSON line in $FAKE_SCANNER_LOG: which tool, argv, and the env it cares about. */
export function logCall(tool, args, extra = {}) {
  const log = process.env.FAKE_SCANNER_LOG;
  if (log) appendFileSync(log, `${JSON.stringify({ tool, args, ...extra })}\n`);
}

export function fail(tool, message) {
  process.stderr.write(`fake ${tool}: ${message}\n`);
  process.exit(2);
}

/** The value after `flag`, or fail. */
export function valueOf(tool, args, flag) {
  const i = args.indexOf(flag);
  if (i < 0 || i + 1 >= args.length) fail(tool, `expected ${flag} <value> in: ${args.join(' ')}`);
  return args[i + 1];
}

/** Files of a tar archive (ustar, as `docker save` writes it): name → contents. */
function readTar(buffer) {
  const files = new Map();
  let offset = 0;
  let longName;
  while (offset + 512 <= buffer.length) {
    const header = buffer.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from, to) => header.subarray(from, to).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(text(124, 136).trim() || '0', 8);
    const type = text(156, 157);
    const prefix = text(345, 500);
    const name = longName ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100));
    longName = undefined;
    const body = buffer.subarray(offset + 512, offset + 512 + size);
    if (type === 'x') {
      const path = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
      if (path) longName = path;
    } else if (type === '0' || type === '') {
      files.set(name, body);
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/**
 * The image config inside a `docker save` archive. Fails unless the archive holds exactly one
 * image: a scanner must be given one platform's image, never an index.
 */
export function imageConfigOf(tool, archive) {
  const files = readTar(readFileSync(archive));
  const manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? 'null');
  if (!Array.isArray(manifest) || manifest.length !== 1) fail(tool, `${archive} is not a docker-save archive of exactly one image`);
  const config = files.get(manifest[0].Config);
  if (!config) fail(tool, `${archive} has no config ${manifest[0].Config}`);
  return JSON.parse(config.toString('utf8'));
}

/**
 * Which recorded report this image gets: its label `e2e.scan.reports` maps architectures to
 * fixture names, `amd64=trivy-clean.json,arm64=trivy-high.json`.
 */
export function reportFor(tool, config) {
  const labels = config.config?.Labels ?? {};
  const map = Object.fromEntries(
    String(labels['e2e.scan.reports'] ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=')),
  );
  const name = map[config.architecture] ?? map['*'];
  if (!name) fail(tool, `no e2e.scan.reports entry for ${config.architecture} in the image's labels`);
  return name;
}
