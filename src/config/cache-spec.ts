/**
 * One build's layer cache as its builder receives it: sources to read and targets to write, refs
 * rendered and dirs absolute (plan/cache-plan.ts decides them; builders and docker/ turn them into
 * flags). Types only.
 */

export type CacheSourceSpec =
  /** `ref` is `host/repo:tag`, or `host/repo@digest` for the automatic source. */
  | {
      readonly type: 'registry';
      readonly ref: string;
      readonly automatic?: true;
      /** Automatic, when the image's tags moved: the earlier tag it was found under and why that one. */
      readonly earlier?: string;
    }
  | { readonly type: 'local'; readonly dir: string }
  | { readonly type: 'gha'; readonly scope: string };

export type CacheTargetSpec =
  /** Cache metadata in the image's own config: what the automatic source of the next build reads. */
  | { readonly type: 'inline' }
  | { readonly type: 'registry'; readonly ref: string; readonly mode?: 'min' | 'max' }
  | { readonly type: 'local'; readonly dir: string; readonly mode?: 'min' | 'max' }
  | { readonly type: 'gha'; readonly scope: string; readonly mode?: 'min' | 'max' };
