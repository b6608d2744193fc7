/**
 * The Node.js options of the server process, which every launcher fc-kernel writes passes to
 * `node`: the custom runtime's `bootstrap` (`fc-kernel build --target custom-runtime`), the
 * Dockerfiles of the samples and of `fc-kernel init`'s project, and `npm start`.
 *
 * `--max-semi-space-size=4` caps V8's young generation at two semi-spaces of 4 MiB. Under load the
 * server answers a turn's requests together, after one write of their log lines, so every
 * scavenge finds that turn's requests alive; V8 reads the survivors as a reason to double the
 * young generation, up to 16 MiB per semi-space: 32 MiB resident that a function's instance pays
 * for and never needs, since none of it outlives the turn. Capped, each scavenge still frees
 * everything but the turn in progress: the bundled order sample under load kept the same CPU time
 * per request, promoted no more to the old generation, and peaked at 70 MB resident instead of
 * 105.
 *
 * A function that keeps large transient objects alive across awaits (big events it works on for
 * long) may trade some memory back for fewer scavenges: raise the value in its launcher.
 */
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=4'];

/** The launchers' command line as a shell word list: `node` with {@link SERVER_NODE_OPTIONS}. */
export function serverNodeCommand(node: string, script: string): string {
  return [node, ...SERVER_NODE_OPTIONS, script].join(' ');
}
