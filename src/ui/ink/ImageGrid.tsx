/**
 * One image as a small table: a column per platform, a row per stage ([prepare,] build, test, a push per
 * target), then its index rows and what its running nodes are doing right now.
 *
 *   web           amd64         arm64         arm/v7
 *     build       ✓ 12.3s       ⠋ 42s         ✗ 3.1s
 *     test        ✓ 1.2s        ·             – skipped
 *     push local  ✓ 0.8s        ·             – skipped
 *     ·  index v1 → local
 *     arm64 build  [3/7] RUN npm ci
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { truncate } from '../format.js';
import { runningNodes, type ImageView, type ViewState } from '../state.js';
import { cellText, toneProps } from './cell-text.js';

export interface ImageGridProps {
  readonly view: ViewState;
  readonly image: ImageView;
  readonly width: number;
  readonly color: boolean;
  readonly now: number;
  readonly tick: number;
}

const MIN_COLUMN = 8;
const MAX_COLUMN = 16;

export function ImageGrid({ view, image, width, color, now, tick }: ImageGridProps): ReactNode {
  const stages = [
    { label: 'prepare', ids: image.platforms.map((p) => p.prepare) },
    { label: 'build', ids: image.platforms.map((p) => p.build) },
    { label: 'test', ids: image.platforms.map((p) => p.test) },
    { label: 'scan', ids: image.platforms.map((p) => p.scan) },
    ...image.targets.map((target) => ({ label: `push ${target}`, ids: image.platforms.map((p) => p.pushes.find((x) => x.target === target)?.id) })),
  ].filter((stage) => stage.ids.some((id) => id !== undefined));
  const labelWidth = Math.min(18, Math.max(10, ...stages.map((s) => s.label.length + 4)));
  const columns = Math.max(1, image.platforms.length);
  const column = Math.max(MIN_COLUMN, Math.min(MAX_COLUMN, Math.floor((width - labelWidth) / columns)));
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
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        <Box width={labelWidth}>
          <Text bold={color}>{truncate(image.name, labelWidth - 1)}</Text>
        </Box>
        {headers.map((h, i) => (
          <Box key={i} width={column}>
            <Text dimColor={color}>{truncate(h, column - 1)}</Text>
          </Box>
        ))}
      </Box>
      {stages.map((stage) => (
        <Box key={stage.label}>
          <Box width={labelWidth}>
            <Text>{truncate(`  ${stage.label}`, labelWidth - 1)}</Text>
          </Box>
          {stage.ids.map((id, i) => cell(id, i))}
        </Box>
      ))}
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
        const message = node.cell.state === 'running' ? (node.cell.message ?? '') : '';
        const who = `  ${shortPlatform(node.platform ?? '')} ${node.kind}`.trimEnd();
        return (
          <Text key={node.id} dimColor={color}>
            {truncate(`${who}  ${message}`, width)}
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
