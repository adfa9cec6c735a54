/**
 * The live view of a run. Finished images (with their failures) and, with `--verbose`, log lines go
 * to `<Static>` and are printed once; the frame keeps only what still changes: the grids of images
 * in progress, failures of those images, a status line, and at the end the summary table.
 */
import { Box, Static, Text } from 'ink';
import type { ReactNode } from 'react';
import { cleanLine, formatElapsed } from '../../format.js';
import { truncate, wrapText } from '../../../text/text-width.js';
import { fitFrame, type FitStatus } from '../fit-frame.js';
import { runningNodes, type ImageView, type ViewState } from '../state.js';
import { formatSummary, stoppingText } from '../summary.js';
import { spinnerFrame } from './cell-text.js';
import { FailureBlock } from './FailureBlock.js';
import { feedOf, type FeedItem } from './feed.js';
import { FoldedImage } from './FoldedImage.js';
import { ImageGrid, imageGridHeight } from './ImageGrid.js';
import { useTicker } from './use-ticker.js';

export interface RunViewProps {
  readonly view: ViewState;
  /** What is already in `<Static>`; default: header and finished images (no log lines). */
  readonly feed?: readonly FeedItem[];
  readonly verbose?: boolean;
  readonly color?: boolean;
  /** Columns to fit; default 80. */
  readonly width?: number;
  /** The clock for elapsed times; default Date.now. */
  readonly now?: () => number;
  /**
   * Rows of the terminal: the live frame is kept shorter than this (fit-frame.ts), so Ink redraws
   * it in place instead of clearing the screen and scrollback. Default: no limit.
   */
  readonly rows?: number;
}

/** Rows a failure block takes: its head, `last 20 log lines:`, 20 lines, the error and its hint. */
const FAILURE_BLOCK_ROWS = 25;

export function RunView({ view, feed, verbose = false, color = false, width = 80, now = Date.now, rows }: RunViewProps): ReactNode {
  const fed = feed ?? feedOf(view);
  const items: FeedItem[] = rows !== undefined && view.summary ? [...fed, { kind: 'summary', key: 'summary' }] : [...fed];
  const moved = new Set(items.flatMap((item) => (item.kind === 'image' ? [item.image] : [])));
  const running = runningNodes(view);
  const tick = useTicker(running.length > 0 && !view.summary);
  const at = now();
  const shared = { view, width, color, now: at, tick };
  const failuresOf = (image: string) => view.failed.filter((id) => view.nodes[id]?.image === image);
  const liveFailures = view.failed.filter((id) => !moved.has(view.nodes[id]?.image ?? ''));
  const live = view.images.filter((image) => !moved.has(image.name));
  const stoppingLines = view.stopping ? wrapText(stoppingText(running.length), width) : [];
  const fit = rows === undefined ? undefined : fitLive(view, live, width, rows - 1 - liveFailures.length - 2 - stoppingLines.length);
  // Short of rows, finished images fold to a line too (those with failures keep their details).
  const gridRows = view.images.reduce((sum, i) => sum + imageGridHeight(view, i, width) + 1, 0);
  const foldFinished = rows !== undefined && gridRows > rows;
  // A failure's log shows under the grid at once while it fits; short of rows, one line until its image is done.
  const failureLines = rows === undefined || gridRows + liveFailures.length * FAILURE_BLOCK_ROWS + 4 <= rows ? 'block' : 'line';
  return (
    <Box flexDirection="column" width={width}>
      <Static items={items as FeedItem[]}>
        {(item) => {
          switch (item.kind) {
            case 'header':
              return <Header key={item.key} view={view} width={width} color={color} />;
            case 'image': {
              const image = view.images.find((i) => i.name === item.image);
              if (!image) return <Box key={item.key} />;
              if (foldFinished && failuresOf(image.name).length === 0) {
                return <FoldedImage key={item.key} view={view} image={image} width={width} color={color} tick={tick} />;
              }
              return (
                <Box key={item.key} flexDirection="column" marginTop={1} width={width}>
                  <ImageGrid {...shared} image={image} />
                  {failuresOf(image.name).map((id) => (
                    <FailureBlock key={id} view={view} id={id} width={width} color={color} verbose={verbose} />
                  ))}
                </Box>
              );
            }
            case 'summary':
              return (
                <Box key={item.key} marginTop={1} width={width}>
                  <Text>{view.summary ? formatSummary(view.summary, { color, width }) : ''}</Text>
                </Box>
              );
            case 'log':
              return (
                <Text key={item.key}>
                  <Text dimColor={color}>{`${view.nodes[item.id]?.label ?? item.id} │ `}</Text>
                  {cleanLine(item.line)}
                </Text>
              );
          }
        }}
      </Static>
      {live.map((image) =>
        !fit || fit.full.has(image.name) ? (
          <Box key={image.name} marginTop={1}>
            <ImageGrid {...shared} image={image} />
          </Box>
        ) : fit.folded.has(image.name) ? (
          <FoldedImage key={image.name} view={view} image={image} width={width} color={color} tick={tick} />
        ) : null,
      )}
      {fit && fit.hidden > 0 && <Text dimColor={color}>{truncate(`… ${fit.hidden} more`, width)}</Text>}
      {liveFailures.map((id) =>
        failureLines === 'line' ? (
          <Text key={id} color={color ? 'red' : undefined}>
            {truncate(`✗ ${view.nodes[id]?.label ?? id} failed (its log follows when ${view.nodes[id]?.image ?? 'the image'} is done)`, width)}
          </Text>
        ) : (
          <FailureBlock key={id} view={view} id={id} width={width} color={color} verbose={verbose} />
        ),
      )}
      {view.startedAt !== undefined && !view.summary && (
        <Box marginTop={1} flexDirection="column">
          <Text dimColor={color}>{truncate(statusLine(view, running.length, at, tick), width)}</Text>
          {view.stopping &&
            stoppingLines.map((line, i) => (
              <Text key={i} color={color ? 'yellow' : undefined} bold={color}>
                {line}
              </Text>
            ))}
        </Box>
      )}
      {view.summary && rows === undefined && (
        <Box marginTop={1} width={width}>
          <Text>{formatSummary(view.summary, { color, width })}</Text>
        </Box>
      )}
    </Box>
  );
}

function fitLive(view: ViewState, live: readonly ImageView[], width: number, budget: number) {
  const entries = live.map((image) => {
    const ids = new Set(image.nodeIds);
    const status: FitStatus = view.failed.some((id) => ids.has(id)) ? 'failed' : runningNodes(view, image).length > 0 ? 'running' : 'waiting';
    return { name: image.name, status, fullHeight: imageGridHeight(view, image, width) + 1 };
  });
  return fitFrame(entries, budget);
}

function Header({ view, width, color }: { view: ViewState; width: number; color: boolean }): ReactNode {
  const count = Object.keys(view.nodes).length;
  return (
    <Text>
      <Text bold={color}>multiarch</Text>
      {truncate(`  ${count} steps from ${view.configFile ?? 'plan'}`, width - 'multiarch'.length)}
    </Text>
  );
}

function statusLine(view: ViewState, running: number, at: number, tick: number): string {
  const nodes = Object.values(view.nodes);
  const done = nodes.filter((n) => n.cell.state !== 'waiting' && n.cell.state !== 'running').length;
  const failed = view.failed.length;
  const elapsed = view.startedAt === undefined ? '' : ` · ${formatElapsed(at - view.startedAt)}`;
  const icon = running > 0 ? spinnerFrame(tick) : '·';
  return `${icon} ${running} running · ${done}/${nodes.length} done${failed ? ` · ${failed} failed` : ''}${elapsed}`;
}
