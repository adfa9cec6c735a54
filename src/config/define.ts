/** The identity function that gives a `multiarch.config.ts` its types and editor completion. Pure. */
import type { UserConfig } from './schema.js';

/**
 * `T` with every key the schema does not know typed `never`, at any depth. A generic parameter
 * skips TypeScript's excess-property check, so without this `platfroms: […]` would compile and
 * only fail when the config runs.
 */
export type NoUnknownKeys<T, Shape> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly unknown[]
    ? { [I in keyof T]: NoUnknownKeys<T[I], ElementOf<Shape>> }
    : T extends object
      ? { [K in keyof T]: K extends AllKeys<ObjectPart<Shape>> ? NoUnknownKeys<T[K], ValueAt<ObjectPart<Shape>, K>> : never }
      : T;

/** Keys of any member of a union of objects (`{ env } | { file }` allows both), and their types. */
type AllKeys<U> = [U] extends [never] ? PropertyKey : U extends unknown ? keyof U : never;
type ValueAt<U, K> = U extends unknown ? (K extends keyof U ? U[K] : never) : never;

/** The object members of a union such as `string | ImageRef`, whose keys are the ones allowed. */
type ObjectPart<S> = Exclude<NonNullable<S>, readonly unknown[] | ((...args: never[]) => unknown) | string | number | boolean>;
type ElementOf<S> = NonNullable<S> extends readonly (infer E)[] ? E : never;

export function defineConfig<const T extends UserConfig>(config: T & NoUnknownKeys<T, UserConfig>): T {
  return config;
}
