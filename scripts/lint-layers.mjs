#!/usr/bin/env node
// Layering gates for src/ (plain Node, no dependencies). Run from anywhere:
//   node scripts/lint-layers.mjs [root]     (root defaults to this repository; for testing the gate)
// (a) pure modules import no edge modules and read no ambient state (process.env, the clock);
// (b) process.exit only in src/cli/main.ts;
// (c) no module in src/ longer than MAX_LINES lines.
// Prints one `file:line: message` per violation and exits 1 if there is any.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const SRC = 'src';
const MAX_LINES = 400;
const SOURCE_EXT = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;

/** Pure modules: decide, never do. Paths relative to the repository root, '/'-separated. */
function isPure(file) {
  if (file.startsWith('src/config/')) return file !== 'src/config/load.ts';
  if (file.startsWith('src/plan/') || file.startsWith('src/ci/') || file.startsWith('src/scan/') || file.startsWith('src/dockerfile/')) return true;
  return ['src/exec/schedule.ts', 'src/exec/limits.ts', 'src/exec/events.ts', 'src/ui/state.ts'].includes(file);
}

/** Packages (and their subpaths) pure modules must not import. */
const EDGE_PACKAGES = ['node:fs', 'fs', 'node:child_process', 'child_process', 'execa', 'zx', 'ink', 'react'];
/** Folders of edge modules (I/O, processes, terminal UI). */
const EDGE_DIRS = ['src/sys/', 'src/docker/', 'src/registry/', 'src/builders/', 'src/image/', 'src/ui/ink/'];
/** Ambient state pure modules must not read: [pattern, what]. Matched outside comments and strings. */
const AMBIENT = [
  [/\bprocess\s*\.\s*env\b/g, 'process.env'],
  [/\bDate\s*\.\s*now\s*\(/g, 'Date.now('],
  [/\bnew\s+Date\s*\(/g, 'new Date('],
];
const PROCESS_EXIT = /\bprocess\s*\.\s*exit\b/g;
const PROCESS_EXIT_ALLOWED = 'src/cli/main.ts';

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

/** Every module specifier with its offset: static, side-effect, re-export, dynamic, require. */
function importsOf(code) {
  const found = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[\w*$\s{},]*?)\s*\bfrom\s*(['"])([^'"\n]+)\1/g,
    /\bimport\s*(['"])([^'"\n]+)\1/g,
    /\bimport\s*\(\s*(['"])([^'"\n]+)\1/g,
    /\brequire\s*\(\s*(['"])([^'"\n]+)\1/g,
  ];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) {
      found.push({ spec: m[2], offset: m.index + m[0].lastIndexOf(m[2]) });
    }
  }
  return found;
}

function edgeImport(file, spec) {
  if (spec.startsWith('.')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    const dir = EDGE_DIRS.find((d) => target.startsWith(d));
    return dir ? `imports ${spec} (edge module under ${dir})` : undefined;
  }
  const pkg = EDGE_PACKAGES.find((p) => spec === p || spec.startsWith(`${p}/`));
  return pkg ? `imports ${spec} (edge package ${pkg})` : undefined;
}

const violations = [];
const report = (file, text, offset, message) => violations.push({ file, line: lineAt(text, offset), message });

for (const file of walk(SRC)) {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const noComments = blank(text, { strings: false });
  const code = blank(text, { strings: true });

  if (isPure(file)) {
    for (const { spec, offset } of importsOf(noComments)) {
      const why = edgeImport(file, spec);
      if (why) report(file, text, offset, `pure module ${why}`);
    }
    for (const [re, what] of AMBIENT) {
      for (const m of code.matchAll(re)) report(file, text, m.index, `pure module uses ${what} (take it as a parameter)`);
    }
  }

  if (file !== PROCESS_EXIT_ALLOWED) {
    for (const m of code.matchAll(PROCESS_EXIT)) {
      report(file, text, m.index, `process.exit outside ${PROCESS_EXIT_ALLOWED} (throw or return an exit code)`);
    }
  }

  const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
  if (lines > MAX_LINES) violations.push({ file, line: MAX_LINES + 1, message: `module has ${lines} lines (max ${MAX_LINES}); split it` });
}

if (violations.length) {
  violations.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.message}`);
  console.error(`lint-layers: ${violations.length} violation(s)`);
  process.exit(1);
}
console.log('lint-layers: ok');
