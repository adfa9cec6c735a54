/**
 * A failed node, shown as soon as it fails: its last log lines (what the process printed, or the
 * error's details when it printed nothing through the log), then the error and its hint.
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { formatError } from '../../../errors/format-error.js';
import { cleanLine, formatDuration } from '../../format.js';
import { truncate } from '../../../text/text-width.js';
import { LOG_TAIL, type ViewState } from '../state.js';

export interface FailureBlockProps {
  readonly view: ViewState;
  readonly id: string;
  readonly width: number;
  readonly color: boolean;
  /** With `--verbose` the lines were streamed already: show only the error. */
  readonly verbose: boolean;
}

export function FailureBlock({ view, id, width, color, verbose }: FailureBlockProps): ReactNode {
  const node = view.nodes[id];
  if (!node) return null;
  const took = node.cell.state === 'failed' ? ` after ${formatDuration(node.cell.durationMs)}` : '';
  const logged = view.logs[id] ?? [];
  // Lines already streamed (--verbose) are not repeated; details stand in when nothing was logged.
  const lines = logged.length > 0 ? (verbose ? [] : logged) : (node.error?.details ?? []).slice(-LOG_TAIL);
  const error = node.error ? { ...node.error, details: [] } : undefined;
  return (
    <Box flexDirection="column" width={width} marginTop={1}>
      <Text color={color ? 'red' : undefined} bold={color}>
        {truncate(`✗ ${node.label} failed${took}`, width)}
      </Text>
      {lines.length > 0 && <Text dimColor={color}>{truncate(`  last ${lines.length} log line${lines.length === 1 ? '' : 's'}:`, width)}</Text>}
      {lines.map((line, i) => (
        <Text key={i} dimColor={color}>
          {truncate(`  │ ${cleanLine(line)}`, width)}
        </Text>
      ))}
      {error && (
        <Box paddingLeft={2} width={width}>
          <Text>{formatError(error, { color })}</Text>
        </Box>
      )}
    </Box>
  );
}
