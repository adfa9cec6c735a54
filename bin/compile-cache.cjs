/**
 * V8's code cache for the bundled CLI (dist/bundle/*.cjs): what V8 compiled on one run — the
 * chunks' top level and every function the run called — is handed back on the next, so a start
 * does not parse and compile ~2 MB of JavaScript again (≈0.06 s of a cold `plan` on a 2-core
 * machine). Node ≥ 22.1 has this built in (`module.enableCompileCache()`, which also honours
 * NODE_COMPILE_CACHE and NODE_DISABLE_COMPILE_CACHE); on Node 20 the same is done here for the
 * bundle's chunks only, with vm.Script's cachedData.
 *
 * The cache holds compiled code of multiarch itself, never data of a run. It is per user (the
 * user cache directory, `$XDG_CACHE_HOME/multiarch/compile-cache` or the platform's equivalent,
 * or `$NODE_COMPILE_CACHE/multiarch`), per Node version and architecture, and keyed by each
 * chunk's identity (path, size, mtime), so an upgrade or rebuild never meets a stale entry; V8
 * itself also rejects data from another V8 or other flags, and then the chunk compiles as usual.
 * Not in the temp directory: another user could plant code there. Writing is best effort, once,
 * at exit, and only for chunks that had no usable entry; nothing here can fail a run.
 */
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

/** Turns the cache on for the CommonJS files directly in `bundleDir`. */
exports.enable = function enable(bundleDir) {
  // Deno compiles npm code its own way.
  if (typeof globalThis.Deno !== 'undefined' || process.env.NODE_DISABLE_COMPILE_CACHE) return;
  if (typeof Module.enableCompileCache === 'function') {
    Module.enableCompileCache();
    return;
  }
  // A script made from cached data cannot import() on Node 20 (its dynamic-import callback is
  // lost): the chunks' import() calls come here instead (scripts/bundle.mjs rewrites them), to
  // this module, which Node compiled itself. `./x` names a file of the bundle.
  globalThis[Symbol.for('multiarch.importEsm')] = (specifier) =>
    import(specifier.startsWith('./') ? pathToFileURL(path.join(bundleDir, specifier)).href : specifier);
  const dir = cacheDir();
  const pending = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (path.dirname(filename) !== bundleDir || !filename.endsWith('.cjs')) return compile.call(this, content, filename);
    const entry = entryFile(dir, filename);
    const cachedData = entry && readOrUndefined(entry);
    const script = new vm.Script(Module.wrap(content), {
      filename,
      ...(cachedData ? { cachedData } : {}),
    });
    if (entry && (!cachedData || script.cachedDataRejected)) pending.push({ script, entry });
    const run = script.runInThisContext({ displayErrors: true });
    const require = Module.createRequire(filename);
    return run.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    for (const { script, entry } of pending) write(entry, script.createCachedData());
  });
};

function cacheDir() {
  const base = process.env.NODE_COMPILE_CACHE
    ? path.join(process.env.NODE_COMPILE_CACHE, 'multiarch')
    : path.join(userCacheBase(), 'multiarch', 'compile-cache');
  return path.join(base, `${process.version}-${process.arch}`);
}

function userCacheBase() {
  const home = process.env.HOME || process.env.USERPROFILE || os.homedir();
  if (process.platform === 'win32') return process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches');
  const xdg = process.env.XDG_CACHE_HOME;
  return xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache');
}

function entryFile(dir, filename) {
  try {
    const s = fs.statSync(filename);
    return path.join(dir, `${path.basename(filename)}-${s.size}-${Math.trunc(s.mtimeMs)}-${s.ino}.cache`);
  } catch {
    return undefined;
  }
}

function readOrUndefined(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function write(file, data) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, data, { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch {
    // Only the next start's compile time is at stake.
  }
}
