/** `multiarch init|add|import|graph --help`: what each command does and takes. */
import type { CONFIG_COMMANDS } from './config-args.js';

export const CONFIG_HELP: Record<(typeof CONFIG_COMMANDS)[number], string> = {
  init: `multiarch init — write a commented multiarch.config.ts for this repository

Usage:
  multiarch init [options]
  multiarch init --ci github|gitlab [-y] [-f] [--dry-run] [-c FILE]

Finds the Dockerfiles below the current directory (Dockerfile, Dockerfile.<variant>,
<variant>.Dockerfile; not in node_modules, vendor or dot-folders), one image each, and asks for
platforms and registries on a terminal. With no Dockerfile it also writes a starter Dockerfile
and .dockerignore.

With --ci it writes a CI workflow for the existing config instead, leaving the config as it is:
one build job per platform on a native runner (QEMU where there is none), each into a shard, then
one merge job that pushes and writes the multi-arch indexes. github writes
.github/workflows/multiarch.yml, gitlab .gitlab-ci.yml, both at the root of the git repository
holding the config. It says which variables and secrets to set for the registries' logins.

Options:
  -p, --platform P     platforms to build (repeatable or comma-separated; default linux/amd64,linux/arm64)
  -r, --registry R     where to push, as host/namespace: ghcr.io/acme, docker.io/you, 127.0.0.1:5000
  -t, --tag T          image tags (default latest)
      --ci SYSTEM      write a CI workflow for the existing config: github or gitlab
  -y, --yes            ask nothing: take the flags and the defaults (--ci: write without confirming)
  -f, --force          overwrite an existing config (--ci: an existing workflow)
  -c, --config FILE    the file to write (default multiarch.config.ts; --ci: the config to read)
      --dry-run        print what would be written, write nothing
`,
  add: `multiarch add — edit multiarch.config.ts, keeping its formatting and comments

Usage:
  multiarch add image NAME --context DIR [--dockerfile F] [-p P]… [-t TAG]… [--publish REF]…
  multiarch add platform PLATFORM [-i IMAGE]…

add image: a new image; platforms and tags default to those of the first image. --publish is
  REGISTRY/REPOSITORY with a key of registries (hub/team/web) or a host (ghcr.io/acme/web; a new
  registry entry is added for an unknown host).
add platform: to every image, or to the ones named with --image.

The edited config is loaded and validated before it is written. A config too dynamic to edit
safely (images from a function call, computed keys) is left alone, with what to change by hand.

Options:
  -c, --config FILE    the config (default: ./multiarch.config.ts)
      --dry-run        print the edited config, write nothing
`,
  import: `multiarch import — write a multiarch.config.ts equivalent to a bake or compose file

Usage:
  multiarch import bake FILE [TARGET|GROUP]…    docker-bake.hcl or docker-bake.json (default group "default", else every target)
  multiarch import compose FILE [SERVICE]…      compose.yaml: the services with a build section

Tags (docker.io/org/app:v1) become registries, publish entries and image tags. What cannot be
translated is listed, in the output and at the top of the config.

Options:
  -o, --out FILE       the config to write (default multiarch.config.ts)
  -p, --platform P     platforms for targets that name none (bake builds those for the local platform)
  -f, --force          overwrite an existing config
      --dry-run        print the config, write nothing
`,
  graph: `multiarch graph — the planned graph as Graphviz dot or Mermaid, for docs and reviews

Usage: multiarch graph [--format mermaid|dot] [-c FILE] [-i IMAGE]… [-p PLATFORM]…

Nodes are labelled as in \`multiarch plan\`; edges are dependencies, including the ones ref()
makes between images (dashed).
`,
};
