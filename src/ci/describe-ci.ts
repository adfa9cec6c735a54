/**
 * What `multiarch init --ci` tells the user about the workflow it writes: before writing (on a
 * terminal, to confirm), each platform's runner and each registry's login; after, one line with
 * the file, the runners and what to set in the CI system's settings. Pure.
 */
import { runnerFor, type CiFacts } from './ci-facts.js';
import type { CiProvider } from './ci-provider.js';
import { ciLogin, ciSettings } from './ci-secrets.js';

const PROVIDER = {
  github: { name: 'GitHub Actions', secrets: 'secrets', settings: 'Settings → Secrets and variables → Actions' },
  gitlab: { name: 'GitLab CI', secrets: 'masked variables', settings: 'Settings → CI/CD → Variables' },
} as const satisfies Record<CiProvider, unknown>;

/** `linux/arm/v7 on ubuntu-24.04 (QEMU)` */
function describeRunner(platform: string, provider: CiProvider): string {
  const runner = runnerFor(platform);
  return `${platform} on ${runner[provider]} (${runner.qemu ? 'QEMU' : 'native'})`;
}

/** Lines for the confirmation: file, platforms → runners, registries → logins. */
export function formatCiPreview(file: string, facts: CiFacts, provider: CiProvider): string {
  const logins = facts.registries.map((r) => ciLogin(r, provider));
  const width = Math.max(0, ...logins.map((l) => l.host.length));
  const lines = [
    `${PROVIDER[provider].name} workflow ${file} for ${facts.configPath}:`,
    '  platforms → runners',
    ...facts.platforms.map((p) => `    ${describeRunner(p, provider)}`),
    '  registries → logins',
    ...(logins.length ? logins : [{ host: '(none: the config publishes nowhere yet)', how: '', settings: [] }]).map((l) => {
      const settings = l.settings.map((s) => `${s.secret ? 'secret' : 'variable'} ${s.name}`).join(', ');
      return `    ${l.host.padEnd(width)}${l.how ? `  ${l.how}` : ''}${settings ? ` (${settings})` : ''}`.trimEnd();
    }),
  ];
  return `${lines.join('\n')}\n`;
}

/** The one line after writing: which file, each platform's runner, what the user must set. */
export function formatCiSummary(file: string, facts: CiFacts, provider: CiProvider): string {
  const settings = ciSettings(facts, provider);
  const names = (secret: boolean) => settings.filter((s) => s.secret === secret).map((s) => s.name);
  const groups = [
    ...(names(false).length ? [`variables ${names(false).join(', ')}`] : []),
    ...(names(true).length ? [`${PROVIDER[provider].secrets} ${names(true).join(', ')}`] : []),
  ];
  const todo = groups.length ? `set ${groups.join(' and ')} (${PROVIDER[provider].settings})` : 'nothing to set: the logins need no variables or secrets';
  return `Wrote ${file}: ${facts.platforms.map((p) => describeRunner(p, provider)).join(', ')}; ${todo}.\n`;
}
