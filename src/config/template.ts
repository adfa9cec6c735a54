/**
 * Naming templates (`'{arch}-{tag}'`, or a function of the same variables) rendered into
 * repository and tag names. Pure.
 */
import { platformSlug, type Platform } from './platform.js';

export interface TemplateVars {
  readonly image: string;
  readonly tag: string;
  readonly os: string;
  readonly arch: string;
  readonly variant: string;
  /** `linux-arm-v7`: the platform as it can appear inside a name. */
  readonly platform: string;
}

export type Template = string | ((vars: TemplateVars) => string);

export const TEMPLATE_VARIABLES = ['image', 'tag', 'os', 'arch', 'variant', 'platform'] as const;

export function templateVars(image: string, tag: string, platform?: Platform): TemplateVars {
  return {
    image,
    tag,
    os: platform?.os ?? '',
    arch: platform?.architecture ?? '',
    variant: platform?.variant ?? '',
    platform: platform ? platformSlug(platform) : '',
  };
}

export type RenderResult = { ok: true; value: string } | { ok: false; message: string };

export function renderTemplate(template: Template, vars: TemplateVars): RenderResult {
  if (typeof template === 'function') {
    let value: unknown;
    try {
      value = template(vars);
    } catch (error) {
      return { ok: false, message: `the naming function threw: ${(error as Error)?.message ?? String(error)}` };
    }
    return typeof value === 'string'
      ? { ok: true, value }
      : { ok: false, message: `the naming function returned ${typeof value}, not a string` };
  }
  const unknown: string[] = [];
  const value = template.replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    if ((TEMPLATE_VARIABLES as readonly string[]).includes(name)) return vars[name as keyof TemplateVars];
    unknown.push(whole);
    return whole;
  });
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `unknown placeholder ${unknown.join(', ')} in "${template}" — use ${TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(' ')}`,
    };
  }
  return { ok: true, value };
}

/** A short description of a template for plans and errors (functions cannot be shown). */
export function describeTemplate(template: Template): string {
  return typeof template === 'function' ? '(function)' : template;
}

