/**
 * An image on one line, for terminals shorter than the graph: `✓ web  amd64 arm64  8/8 done`.
 * Finished images fold to this in the feed, waiting ones (and running ones short of rows) in the frame.
 */
import { Text } from 'ink';
import type { ReactNode } from 'react';
import { truncate } from '../../../text/text-width.js';
import type { ImageView, ViewState } from '../state.js';
import { spinnerFrame } from './cell-text.js';
import { platformHeaders } from './ImageGrid.js';

export interface FoldedImageProps {
  readonly view: ViewState;
  readonly image: ImageView;
  readonly width: number;
  readonly color: boolean;
  readonly tick: number;
}

export function FoldedImage({ view, image, width, color, tick }: FoldedImageProps): ReactNode {
  const nodes = image.nodeIds.map((id) => view.nodes[id]).filter((n) => n !== undefined);
  const failed = nodes.some((n) => view.failed.includes(n.id));
  const running = nodes.some((n) => n.cell.state === 'running');
  const done = nodes.filter((n) => n.cell.state !== 'waiting' && n.cell.state !== 'running').length;
  const icon = failed ? '✗' : running ? spinnerFrame(tick) : done === nodes.length ? '✓' : '·';
  const tone = failed ? 'red' : done === nodes.length ? 'green' : undefined;
  const platforms = platformHeaders(image.platforms.map((p) => p.platform)).join(' ');
  const text = `${icon} ${image.name}  ${platforms}  ${done}/${nodes.length} done${failed ? ' · failed' : ''}`;
  return <Text {...(color && tone ? { color: tone } : {})}>{truncate(text, width)}</Text>;
}
