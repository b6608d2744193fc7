/**
 * The `bootstrap` that Function Compute's custom runtime (`custom.debian12`) starts from the root
 * of the code package (`/code/bootstrap`, or `customRuntimeConfig.command`): it runs the bundle
 * beside it with the image's Node.js. FC sends requests to `customRuntimeConfig.port` (9000 by
 * default) and passes it as `FC_SERVER_PORT`, where `serve()` listens.
 *
 * The runtime images keep their language runtimes under `/var/fc/lang` without putting them on
 * `PATH`, so a `node` on `PATH` (a layer's, or one `environmentVariables.PATH` names) is taken
 * first, then the newest of those (the highest major version).
 */
export function bootstrapScript(bundleFile: string): string {
  return `#!/bin/bash
# Written by fc-kernel build: Function Compute's custom runtime starts this file, which runs the
# bundle beside it. The server listens on FC_SERVER_PORT (customRuntimeConfig.port, 9000).
set -e
here="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
node="$(command -v node || true)"
if [ -z "$node" ]; then
  newest=0
  for candidate in /var/fc/lang/nodejs*/bin/node; do
    major="\${candidate#/var/fc/lang/nodejs}"
    major="\${major%%[!0-9]*}"
    if [ -x "$candidate" ] && [ -n "$major" ] && [ "$major" -gt "$newest" ]; then
      node="$candidate"
      newest="$major"
    fi
  done
fi
if [ -z "$node" ]; then
  echo "bootstrap: no Node.js found on PATH or under /var/fc/lang; add a Node.js layer or set PATH" >&2
  exit 127
fi
exec "$node" "$here/${bundleFile}"
`;
}
