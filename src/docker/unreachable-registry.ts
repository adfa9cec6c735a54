/**
 * Which registry a failed `docker build`/`pull` could not reach, read from its output: BuildKit and
 * the engine print the Go network error with the registry's URL or address (`dial tcp
 * 127.0.0.1:5000: connect: connection refused`, `Get "https://r.example/v2/": … connection reset by
 * peer`, `lookup r.example …: no such host`). Without this the failure reads as a broken
 * Dockerfile ("see the build output above") when the registry is down. Pure.
 */

const NETWORK_ERROR = /connection refused|connection reset by peer|no such host/i;

export function unreachableRegistry(output: readonly string[]): string | undefined {
  for (const line of [...output].reverse()) {
    if (!NETWORK_ERROR.test(line)) continue;
    const host = hostIn(line);
    if (host) return host;
  }
  return undefined;
}

function hostIn(line: string): string | undefined {
  // A registry API URL names the registry as the user wrote it (a hostname, not its address).
  const url = /https?:\/\/([^/"'\s]+)\/v2\//.exec(line);
  if (url) return url[1];
  const lookup = /lookup ([^\s:]+)(?: on [^\s]+)?: no such host/i.exec(line);
  if (lookup) return lookup[1];
  const dial = /dial tcp ([^\s:]+:\d+|\[[^\]]+\]:\d+): connect: connection refused/i.exec(line);
  if (dial) return dial[1];
  return undefined;
}
