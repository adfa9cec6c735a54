/**
 * A file-system failure while writing an `oci:` target, as the user can act on it: which path,
 * what the system said, and the fix (permissions, a read-only mount, a full disk). Anything else
 * passes through unchanged. Pure.
 */
import { MultiarchError } from '../errors/multiarch-error.js';

const FIXES: Readonly<Record<string, [what: string, hint: string]>> = {
  EACCES: ['permission denied', 'give the user running multiarch write access to it, or point oci: at a directory it can write'],
  EPERM: ['operation not permitted', 'the file or directory is protected (chattr +i, a sticky directory, another owner): lift that, or point oci: elsewhere'],
  EROFS: ['the file system is read-only', 'point oci: at a directory on a writable file system'],
  ENOSPC: ['no space left on the device', 'free space on that file system (or a larger one) and run again; nothing half-written is referenced by index.json'],
  EDQUOT: ['the disk quota is exhausted', 'free space within your quota and run again'],
  ENOTDIR: ['a part of the path is not a directory', 'point oci: at a directory'],
  EISDIR: ['a directory is in the way of a file', 'remove the directory named above from the layout'],
  EMFILE: ['too many open files', 'raise the open-file limit (ulimit -n) and run again'],
};

/** `where`: the path to name when the error carries none (a write stream's ENOSPC). */
export function layoutFsError(error: unknown, host: string, where?: string): unknown {
  const errno = error as NodeJS.ErrnoException | undefined;
  const fix = errno?.code ? FIXES[errno.code] : undefined;
  if (!fix) return error;
  const file = errno?.path ?? where;
  return new MultiarchError('E_LAYOUT', `${host}: cannot write${file ? ` ${file}` : ''}: ${fix[0]} (${errno!.code})`, { hint: fix[1], cause: error });
}
