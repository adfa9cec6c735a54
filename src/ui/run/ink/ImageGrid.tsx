/**
 * One image as a small table: a column per platform, a row per stage ([prepare,] build, test, a push per
 * target), then its index rows and what its running nodes are doing right now.
 *
 *   web           amd64         arm64         arm/v7
 *     build       ✓ 12.3s       ⠋ 42s         ✗ 3.1s
 *     test        ✓ 1.2s        ·             – skipped
 *     push local  ⠋ 3s 45%      ·             – skipped
 *     ·  index v1 → local
 *     arm64 build  [3/7] RUN npm ci
 *     amd64 push local  team/web: blob 2/3  3.10 MB / 6.90 MB (45%)
 *
 * When the platforms do not fit the width side by side, they wrap: the table continues below with
 * the next platforms under their own headers, so no line is ever wider than `width`.
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { formatProgressCount } from '../../format.js';
import { truncate } from '../../../text/text-width.js';
import { runningNodes, type ImageView, type PlatformRow, type ViewState } from '../state.js';
import { cellText, toneProps } from './cell-text.js';

export interface ImageGridProps {
  readonly view: ViewState;
  readonly image: ImageView;
  readonly width: number;
  readonly color: boolean;
  readonly now: number;
  readonly tick: number;
}

const MIN_COLUMN = 9;
const MAX_COLUMN = 16;

interface Stage {
  readonly label: string;
  readonly idOf: (row: PlatformRow) => string | undefined;
}

/** The grid's rows and columns for `width`: shared by the grid and by the live view's row budget. */
function gridLayout(image: ImageView, width: number) {
  const stages: Stage[] = [
    { label: 'prepare', idOf: (p: PlatformRow) => p.prepare },
    { label: 'build', idOf: (p: PlatformRow) => p.build },
    { label: 'test', idOf: (p: PlatformRow) => p.test },
    { label: 'scan', idOf: (p: PlatformRow) => p.scan },
    ...image.targets.map((target) => ({ label: `push ${target}`, idOf: (p: PlatformRow) => p.pushes.find((x) => x.target === target)?.id })),
  ].filter((stage) => image.platforms.some((p) => stage.idOf(p) !== undefined));
  const labelWidth = Math.min(18, Math.max(10, ...stages.map((s) => s.label.length + 4)), Math.max(6, width - MIN_COLUMN));
  const perRow = Math.max(1, Math.floor((width - labelWidth) / MIN_COLUMN));
  const groups = chunk(image.platforms, perRow);
  const column = Math.max(MIN_COLUMN, Math.min(MAX_COLUMN, Math.floor((width - labelWidth) / Math.max(1, groups[0]?.length ?? 1))));
  return { stages, labelWidth, groups, column };
}

/** Rows the grid takes: a header and a row per stage for each group of platforms, index and activity lines. */
export function imageGridHeight(view: ViewState, image: ImageView, width: number): number {
  const { stages, groups } = gridLayout(image, width);
  const indexes = image.indexes.filter((index) => view.nodes[index.id]).length;
  const activity = runningNodes(view, image).filter((n) => n.cell.state === 'running' && n.cell.message).length;
  return groups.length * (1 + stages.length) + (groups.length - 1) + indexes + activity;
}

export function ImageGrid({ view, image, width, color, now, tick }: ImageGridProps): ReactNode {
  const { stages, labelWidth, groups, column } = gridLayout(image, width);
  const headers = platformHeaders(image.platforms.map((p) => p.platform));
  const cell = (id: string | undefined, key: number) => {
    const node = id ? view.nodes[id] : undefined;
    if (!node) return <Box key={key} width={column} />;
    const c = cellText(node.cell, now, tick);
    return (
      <Box key={key} width={column}>
        <Text {...toneProps(color, c.tone)}>{truncate(c.text ? `${c.icon} ${c.text}` : c.icon, column - 1)}</Text>
      </Box>
    );
  };
  const running = runningNodes(view, image).filter((n) => n.cell.state === 'running' && n.cell.message);
  let offset = 0;
  return (
    <Box flexDirection="column" width={width}>
      {groups.map((group, g) => {
        const first = offset;
        offset += group.length;
        return (
          <Box key={g} flexDirection="column" marginTop={g === 0 ? 0 : 1}>
            <Box>
              <Box width={labelWidth}>
                <Text bold={color} dimColor={color && g > 0}>
                  {truncate(g === 0 ? image.name : `${image.name} …`, labelWidth - 1)}
                </Text>
              </Box>
              {group.map((_row, i) => (
                <Box key={i} width={column}>
                  <Text dimColor={color}>{truncate(headers[first + i]!, column - 1)}</Text>
                </Box>
              ))}
            </Box>
            {stages.map((stage) => (
              <Box key={stage.label}>
                <Box width={labelWidth}>
                  <Text>{truncate(`  ${stage.label}`, labelWidth - 1)}</Text>
                </Box>
                {group.map((row, i) => cell(stage.idOf(row), i))}
              </Box>
            ))}
          </Box>
        );
      })}
      {image.indexes.map((index) => {
        const node = view.nodes[index.id];
        if (!node) return null;
        const c = cellText(node.cell, now, tick);
        const text = `  ${c.icon} index ${index.tag} → ${index.target}${c.text ? `  ${c.text}` : ''}`;
        return (
          <Text key={index.id} {...toneProps(color, c.tone)}>
            {truncate(text, width)}
          </Text>
        );
      })}
      {running.map((node) => {
        const cell = node.cell.state === 'running' ? node.cell : undefined;
        const count = formatProgressCount(cell?.progress);
        const stage = node.kind === 'push' && node.target ? `push ${node.target}` : node.kind;
        const who = node.kind === 'index' ? `  index ${node.tag ?? ''}` : `  ${shortPlatform(node.platform ?? '')} ${stage}`;
        return (
          <Text key={node.id} dimColor={color}>
            {activityLine(who.trimEnd(), cell?.message ?? '', count, width)}
          </Text>
        );
      })}
    </Box>
  );
}

/** Column headers: `linux/` goes when every platform is linux, so six platforms fit in 80 columns. */
export function platformHeaders(platforms: readonly string[]): string[] {
  return platforms.every((p) => p.startsWith('linux/')) ? platforms.map(shortPlatform) : [...platforms];
}

function shortPlatform(platform: string): string {
  return platform.startsWith('linux/') ? platform.slice('linux/'.length) : platform;
}

/** `  arm64 push local  team/web: blob 2/3  3.10 MB / 6.90 MB (45%)`; short of room, the count wins over the message. */
function activityLine(who: string, message: string, count: string, width: number): string {
  const full = `${who}  ${message}${count ? `  ${count}` : ''}`;
  if (!count || full.length <= width) return truncate(full, width);
  return truncate(`${who}  ${count}`, width);
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length > 0 ? out : [[]];
}
