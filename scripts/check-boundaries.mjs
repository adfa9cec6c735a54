#!/usr/bin/env node
// Boundary gates for src/ (run by `npm test`):
//   node scripts/check-boundaries.mjs [root]   (root defaults to this repository; the planted-violation
//                                              test runs it on a copy)
// (a) dependency-cruiser rules in .dependency-cruiser.cjs, following imports transitively (per-folder
//     allow-lists, no module cycles, pure modules reaching no I/O, ui/ reaching no registry/docker/state);
// (b) no import cycle between folders (type imports included), from the same import graph;
// (c) what imports cannot show: pure modules read no clock, randomness, process or network globals;
//     only src/cli/ sets exit codes (process.exit, process.exitCode);
// (d) no module in src/ longer than MAX_LINES lines.
// Prints one `file:line: message` (or rule: from → to) per violation and exits 1 if there is any.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(process.argv[2] ?? HERE);
const SRC = 'src';
const MAX_LINES = 400;
const SOURCE_EXT = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;

/** Pure modules: decide, never do. Paths relative to the repository root, '/'-separated. */
function isPure(file) {
  if (file.startsWith('src/config/')) return file !== 'src/config/load.ts';
  if (file.startsWith('src/plan/') || file.startsWith('src/text/')) return true;
  return ['src/exec/schedule.ts', 'src/ui/run/state.ts'].includes(file);
}

/** Globals pure modules must not read: [pattern, what]. Matched outside comments and strings. */
const AMBIENT = [
  [/\bprocess\s*\./g, 'process'],
  [/\bDate\s*\.\s*now\s*\(/g, 'Date.now('],
  [/\bnew\s+Date\s*\(\s*\)/g, 'new Date()'],
  [/\bMath\s*\.\s*random\s*\(/g, 'Math.random('],
  [/\bperformance\s*\.\s*now\s*\(/g, 'performance.now('],
  [/(?<![.\w])fetch\s*\(/g, 'fetch('],
  [/\bcrypto\s*\.\s*(?:randomUUID|getRandomValues)\s*\(/g, 'crypto randomness'],
];
const EXIT_CODE = /\bprocess\s*\.\s*(?:exit\s*\(|exitCode\b)/g;
const EXIT_ALLOWED = 'src/cli/';

function walk(dir) {
  const out = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...walk(rel));
    else if (entry.isFile() && SOURCE_EXT.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out.sort();
}

/**
 * Blank comments (and, with `strings`, the contents of string and template literals, keeping
 * `${…}` expressions) with spaces, keeping every newline so offsets map to the same lines.
 * Regular-expression literals are not recognised; good enough for our own sources.
 */
function blank(text, { strings }) {
  const out = text.split('');
  const wipe = (from, to) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const braces = []; // per open template `${`: depth of ordinary braces inside it
  let i = 0;
  const n = text.length;
  const scanTemplate = () => {
    // at the character after '`' or after the '}' closing a `${`
    const start = i;
    while (i < n) {
      const c = text[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        if (strings) wipe(start, i);
        i++;
        return;
      } else if (c === '$' && text[i + 1] === '{') {
        if (strings) wipe(start, i);
        i += 2;
        braces.push(0);
        return;
      } else i++;
    }
    if (strings) wipe(start, n);
  };
  while (i < n) {
    const c = text[i];
    const d = text[i + 1];
    if (c === '/' && d === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      wipe(i, stop);
      i = stop;
    } else if (c === '/' && d === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      wipe(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      const start = i + 1;
      i++;
      while (i < n && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      if (strings) wipe(start, Math.min(i, n));
      i++;
    } else if (c === '`') {
      i++;
      scanTemplate();
    } else if (c === '{' && braces.length) {
      braces[braces.length - 1]++;
      i++;
    } else if (c === '}' && braces.length) {
      if (braces[braces.length - 1] === 0) {
        braces.pop();
        i++;
        scanTemplate();
      } else {
        braces[braces.length - 1]--;
        i++;
      }
    } else i++;
  }
  return out.join('');
}

function lineAt(text, offset) {
  let line = 1;
  for (let k = 0; k < offset && k < text.length; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}


const violations = [];

// (a) + (b): one dependency-cruiser run over the import graph.
const cruise = JSON.parse(
  execFileSync(path.join(HERE, 'node_modules/.bin/depcruise'), [SRC, '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  }),
);
for (const v of cruise.summary.violations) {
  const via = v.cycle ? v.cycle.map((c) => (typeof c === 'string' ? c : c.name)).join(' → ') : v.to;
  violations.push({ file: v.from, line: 0, message: `${v.rule.name}: imports ${via}${v.rule.name.startsWith('allowed-imports') ? ' (not in the allow-list of its folder)' : ''}` });
}
const folderOf = (file) => {
  const parts = file.split('/');
  return parts[0] === SRC ? (parts.length > 2 ? parts[1] : '(root)') : undefined;
};
const folders = new Map();
for (const m of cruise.modules) {
  const from = folderOf(m.source);
  if (!from) continue;
  for (const d of m.dependencies) {
    const to = folderOf(d.resolved);
    if (!to || to === from) continue;
    if (!folders.has(from)) folders.set(from, new Map());
    if (!folders.get(from).has(to)) folders.get(from).set(to, `${m.source} → ${d.resolved}`);
  }
}
for (const cycle of folderCycles(folders)) {
  const edges = cycle.map((f, i) => folders.get(f).get(cycle[(i + 1) % cycle.length]));
  violations.push({ file: `src/${cycle[0]}/`, line: 0, message: `no-folder-cycles: ${[...cycle, cycle[0]].join(' → ')} (${edges.join('; ')})` });
}

/** One cycle per strongly connected group of folders (depth-first search). */
function folderCycles(graph) {
  const found = [];
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

// (c) + (d): globals, exit codes and sizes, file by file.
for (const file of walk(SRC)) {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const code = blank(text, { strings: true });
  const report = (offset, message) => violations.push({ file, line: lineAt(text, offset), message });
  if (isPure(file)) {
    for (const [re, what] of AMBIENT) {
      for (const m of code.matchAll(re)) report(m.index, `pure-reads-no-globals: pure module uses ${what} (take it as a fact or parameter)`);
    }
  }
  if (!file.startsWith(EXIT_ALLOWED)) {
    for (const m of code.matchAll(EXIT_CODE)) report(m.index, `exit-codes-only-in-cli: sets the exit code outside ${EXIT_ALLOWED} (throw, or return a status)`);
  }
  const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
  if (lines > MAX_LINES) violations.push({ file, line: MAX_LINES + 1, message: `max-lines: module has ${lines} lines (max ${MAX_LINES}); split it` });
}

if (violations.length) {
  violations.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  for (const v of violations) console.error(`${v.file}${v.line ? `:${v.line}` : ''}: ${v.message}`);
  console.error(`check-boundaries: ${violations.length} violation(s)`);
  process.exit(1);
}
console.log(`check-boundaries: ok (${cruise.summary.totalCruised} modules, ${cruise.summary.totalDependenciesCruised} imports)`);
