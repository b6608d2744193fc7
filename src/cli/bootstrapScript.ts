/**
 * The `bootstrap` that Function Compute's custom runtime (`custom.debian12`) starts from the root
 * of the code package (`/code/bootstrap`, its default `customRuntimeConfig.command`): it runs the
 * bundle beside it with a Node.js it finds. FC sends requests to `customRuntimeConfig.port` (9000
 * by default), which it passes as `FC_CUSTOM_LISTEN_PORT`, where `serve()` listens.
 *
 * `custom.debian12` has no Node.js of its own: FC's official Node.js layers bring one under
 * `/opt/nodejs<major>/bin`, off `PATH`, and older runtime images keep theirs under
 * `/var/fc/lang/nodejs<major>/bin`. The order, first found wins:
 * 1. the `node` on `PATH` (what `environmentVariables.PATH` says: the function's own choice);
 * 2. the newest (highest major) `/opt/nodejs<major>/bin/node`, from an attached layer;
 * 3. the newest `/var/fc/lang/nodejs<major>/bin/node`, the runtime image's.
 */
export function bootstrapScript(bundleFile: string): string {
  return `#!/bin/bash
# Written by fc-kernel build: Function Compute's custom runtime starts this file, which runs the
# bundle beside it with the node on PATH, else the newest of an official layer's
# (/opt/nodejs*/bin/node), else the newest of the runtime image's (/var/fc/lang/nodejs*/bin/node).
# The server listens on FC_CUSTOM_LISTEN_PORT (customRuntimeConfig.port, 9000).
set -e
here="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
node="$(command -v node || true)"
for root in /opt /var/fc/lang; do
  [ -z "$node" ] || break
  newest=0
  for candidate in "$root"/nodejs*/bin/node; do
    major="\${candidate#"$root"/nodejs}"
    major="\${major%%[!0-9]*}"
    if [ -x "$candidate" ] && [ -n "$major" ] && [ "$major" -gt "$newest" ]; then
      node="$candidate"
      newest="$major"
    fi
  done
done
if [ -z "$node" ]; then
  echo "bootstrap: no Node.js found on PATH, under /opt (an official Node.js layer) or under /var/fc/lang; attach a Node.js layer (acs:fc:<region>:official:layers/Nodejs20/versions/<n>) or set PATH" >&2
  exit 127
fi
exec "$node" "$here/${bundleFile}"
`;
}
