/**
 * One step of a printed plan (`  + build linux/amd64 …`) and how nodes are looked at while
 * printing: shared by the full plan, the incremental diff and the supply-chain lines. Pure.
 */
import type { PlanNode } from '../../plan/nodes.js';
import type { Style } from '../color.js';
import { wrapSegments, type Segment } from '../../text/text-width.js';
import { PLAN_ACTIONS, type PlanAction } from './plan-symbols.js';

/** How nodes are printed: colours, width, and what will happen to each (its symbol). */
export interface Look {
  readonly style: Style;
  readonly width: number;
  readonly actionOf: (node: PlanNode) => PlanAction;
}

/** Continuation lines of a step: two further in than its text, so they read as part of it. */
const CONTINUE = ' '.repeat(12);

/** `  + build linux/amd64  native  context ./base`, wrapped under its text. */
export function stepLines(action: PlanAction | undefined, keyword: string, rest: readonly Segment[], look: Look): string[] {
  const symbol = action ? PLAN_ACTIONS[action].style(look.style)(PLAN_ACTIONS[action].symbol) : ' ';
  return wrapSegments([{ text: keyword.padEnd(5, '\u00a0'), style: look.style.dim }, { text: ' ' }, ...rest], look.width, `  ${symbol} `, CONTINUE).map((l) =>
    l.replace(/\u00a0/g, ' '),
  );
}
