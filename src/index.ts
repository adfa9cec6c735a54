/** multiarch's public API: what a `multiarch.config.ts` imports. Runtime-neutral (Node, Deno). */
export { defineConfig } from './config/define.js';
export { ref, type ImageRef, type RefOptions } from './config/ref.js';
export type { Template, TemplateVars } from './config/template.js';
export type { UserBuilder, UserConfig, UserImage, UserPrepare, UserPublish, UserRegistry, UserTest } from './config/schema.js';
export type { PrepareContext, PrepareFn, PreparePlatform } from './prepare/context.js';
export { gitTags, type GitTagsOptions, type GitTagsRule } from './config/git-tags.js';
export { KNOWN_PLATFORMS } from './config/platform.js';
