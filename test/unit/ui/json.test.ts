import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ExecEvent } from '../../../src/exec/events.js';
import { createJsonReporter, formatJsonError, JSON_EVENT_TYPES } from '../../../src/ui/run/json.js';
import { makePlan, recordRun } from './fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../../../docs/schema/events.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function ndjson(events: readonly ExecEvent[]): string {
  let out = '';
  const reporter = createJsonReporter({ write: (t) => (out += t) });
  for (const e of events) reporter.sink(e);
  return out;
}

describe('JSON reporter', () => {
  it('writes one JSON object per event and line, nothing else', async () => {
    const events = await recordRun(makePlan());
    const out = ndjson(events);
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(events.length);
    expect(lines.map((l) => JSON.parse(l))).toEqual(events);
  });

  it.each([
    ['a successful run', {}],
    ['a failed run with skips', { fail: ['build:web@linux/arm64'], cached: ['build:base@linux/amd64'] }],
    ['a canceled run', { cancelAt: 'test:base@linux/arm64' }],
  ])('matches docs/schema/events.schema.json on %s', async (_name, options) => {
    const lines = ndjson(await recordRun(makePlan(), options)).trimEnd().split('\n');
    for (const line of lines) {
      const ok = validate(JSON.parse(line));
      expect(ok ? null : { line, errors: validate.errors }).toBeNull();
    }
  });

  it('rejects what is not an event, so the schema really constrains', () => {
    expect(validate({ type: 'node:start', at: 1 })).toBe(false);
    expect(validate({ type: 'node:end', at: 1, id: 'build:a@linux/amd64', status: 'done', durationMs: 1 })).toBe(false);
    expect(validate({ type: 'node:explode', at: 1, id: 'x' })).toBe(false);
  });

  it('documents exactly the event types the stream carries', () => {
    const definitions = schema.definitions as Record<string, { properties?: { type?: { const?: string } } }>;
    const refs = (schema.oneOf as Array<{ $ref: string }>).map((r) => r.$ref.replace('#/definitions/', ''));
    const documented = refs.map((name) => definitions[name]?.properties?.type?.const);
    expect(documented.sort()).toEqual([...JSON_EVENT_TYPES, 'error'].sort());
    const doc = readFileSync(new URL('../../../docs/events-json.md', import.meta.url), 'utf8');
    for (const type of [...JSON_EVENT_TYPES, 'error']) expect(doc).toContain(`### \`${type}\``);
  });

  it('describes the error line printed instead of events when a command fails before the run', () => {
    const line = formatJsonError({ code: 'E_CONFIG_INVALID', message: 'bad', hint: 'fix it', details: ['images.web: x'] });
    expect(line.endsWith('}\n')).toBe(true);
    expect(validate(JSON.parse(line))).toBe(true);
    expect(validate({ type: 'error', error: { message: 'no code' } })).toBe(false);
  });

  it('accepts byte progress, error locations and time saved by cache', () => {
    expect(validate({ type: 'node:progress', at: 1, id: 'push:a@linux/amd64->r', message: 'a: blob 1/2', current: 10, total: 20, unit: 'bytes' })).toBe(true);
    expect(validate({ type: 'node:progress', at: 1, id: 'push:a@linux/amd64->r', message: 'x', unit: 'furlongs' })).toBe(false);
    const location = { file: '/w/app/Dockerfile', line: 7 };
    expect(validate({ type: 'node:end', at: 1, id: 'build:a@linux/amd64', status: 'failed', durationMs: 1, error: { code: 'E_BUILD_FAILED', message: 'm', location } })).toBe(true);
  });
});
