/**
 * Running a config whose files config-graph.ts has read and compiled, as jiti runs them (`jiti.import`
 * with load.ts's options), without loading jiti: each file once, as a CommonJS module in jiti's
 * wrapper compiled with the file's own path, so a thrown error's stack names the file and line
 * (load.ts locates errors from it); the config itself in an async wrapper, so it may use top-level
 * await; relative files from the graph, a cycle getting the exports so far as in CommonJS; Node's
 * built-ins from Node; `multiarch` as the API namespace load.ts hands over. The config's exports
 * come back as they are (jiti's `interopDefault: false`: load.ts reports a missing default export).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ConfigGraph, GraphModule } from './config-graph.js';

/** What a config's code sees as `module`: the part of Node's module object configs use. */
interface ConfigModule {
  readonly id: string;
  readonly filename: string;
  readonly path: string;
  exports: unknown;
  loaded: boolean;
  readonly require: (specifier: string) => unknown;
}

type ModuleFunction = (exports: unknown, require: (specifier: string) => unknown, module: ConfigModule, filename: string, dirname: string) => unknown;

// Built-ins do not depend on who asks; jiti's own require of them is Node's as well.
const nativeRequire = createRequire(import.meta.url);

/** The config's module exports, once it (and any top-level await in it) has run. */
export async function evaluateConfig(graph: ConfigGraph, api: unknown): Promise<unknown> {
  // Every file run so far (or being run), by path: its exports.
  const modules = new Map<string, { exports: unknown }>();

  const load = (file: string): unknown => {
    const loaded = modules.get(file);
    if (loaded) return loaded.exports;
    const node = graph.files.get(file);
    if (!node) throw notFound(file, graph.entry);
    if (node.kind === 'json') {
      // jiti gives JSON its own object as `default` too (a default import of it works either way).
      if (!('default' in node.value)) Object.defineProperty(node.value, 'default', { value: node.value, enumerable: false });
      modules.set(file, { exports: node.value });
      return node.value;
    }
    const { module } = run(node);
    module.loaded = true;
    return module.exports;
  };

  const run = (node: GraphModule): { module: ConfigModule; result: unknown } => {
    const require = (specifier: string): unknown => {
      const required = node.requires.get(specifier);
      if (required === undefined) throw notFound(specifier, node.file);
      if (required.kind === 'api') return api;
      if (required.kind === 'builtin') return nativeRequire(specifier);
      return load(required.file);
    };
    const module: ConfigModule = { id: node.file, filename: node.file, path: path.dirname(node.file), exports: {}, loaded: false, require };
    // Before it runs, so that a module requiring it back gets the exports so far.
    modules.set(node.file, module);
    const fn = node.script.runInThisContext({ displayErrors: false }) as ModuleFunction;
    return { module, result: fn(module.exports, require, module, node.file, path.dirname(node.file)) };
  };

  const entry = graph.files.get(graph.entry);
  if (entry?.kind !== 'module') throw notFound(graph.entry, graph.entry);
  const { module, result } = run(entry);
  await result;
  module.loaded = true;
  return module.exports;
}

/** What Node throws for a module it cannot find; config-graph.ts resolved every literal require, so only a bug gets here. */
function notFound(specifier: string, from: string): Error {
  return Object.assign(new Error(`Cannot find module '${specifier}' required from ${from}`), { code: 'MODULE_NOT_FOUND' });
}
