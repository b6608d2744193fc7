import { syncBuiltinESMExports } from 'node:module';
import v8 from 'node:v8';

/** How large `serve()` lets V8's young generation grow, by default: MiB per semi-space. */
export const DEFAULT_YOUNG_GENERATION_MIB = 4;

/** V8's own growth factor of the young generation (`--semi-space-growth-factor`). */
const V8_GROWTH_FACTOR = 2;
const MIB = 1024 * 1024;
/**
 * How often the young generation's size is looked at. Doubling it again takes as many bytes
 * surviving scavenges as it holds: over 100 ms of full load for a 4 MiB semi-space.
 */
const CHECK_EVERY_MS = 25;
/** Looks per window, after which what survives scavenges is judged again: one a second. */
const LOOKS_PER_WINDOW = 40;
/**
 * The share of a semi-space that surviving scavenges makes the limit give way (the threshold of
 * V8's own experimental heuristic): then requests live across scavenges (many in flight, each
 * awaiting for milliseconds), a small young generation would promote them, and the larger one
 * V8 grows pays for itself.
 */
const SURVIVING_SHARE = 0.1;
/** How many scavenges a window must see to judge what survives them: a process under load. */
const SCAVENGES_TO_JUDGE = 10;
/**
 * Windows in a row that must see many survive: a single one can be a burst (the least of 40 looks
 * still holds what was allocated since the last scavenge), and V8 never gives back what it grew.
 */
const WINDOWS_TO_GIVE_WAY = 3;

/** V8 options that size the young generation: whoever sets one has chosen its size. */
const SIZING_OPTION = /(^|\s)--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor)\b/;

/** V8's own `setFlagsFromString`, which steering the young generation calls. */
const v8SetFlags = v8.setFlagsFromString;
/** Whether the application set a `SIZING_OPTION` through `v8.setFlagsFromString`; the growth factor in particular. */
let sizedByApplication = false;
let growthFactorByApplication = false;

/*
 * The application's calls of `v8.setFlagsFromString` (from fc-kernel's load on: its main module's
 * body runs after its imports) are watched for a sizing option, the one way to size the young
 * generation that the command line does not show.
 */
(v8 as { setFlagsFromString(flags: string): void }).setFlagsFromString = function watchedSetFlagsFromString(
  flags: string,
) {
  if (SIZING_OPTION.test(String(flags))) sizedByApplication = true;
  if (/--semi-space-growth-factor\b/.test(String(flags))) growthFactorByApplication = true;
  v8SetFlags(flags);
};
// ES modules that import it by name see the watched one too: needed only when the main module is
// one (then no CommonJS module is `require.main`), and it costs a start 0.1 ms.
if (require.main === undefined) syncBuiltinESMExports();

/** The young generation now: its capacity (both semi-spaces) and what its active half holds, in bytes. */
function youngGeneration(): { size: number; used: number } {
  const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return { size: space?.space_size ?? 0, used: space?.space_used_size ?? 0 };
}

/**
 * Keeps V8's young generation (where short-lived objects are allocated) at most `semiSpaceMiB`
 * per semi-space while little survives its scavenges, for as long as the process runs or until
 * the returned function is called.
 *
 * Under load the server answers the requests of an event-loop turn together, after one write of
 * their log lines, so every scavenge finds that turn's requests alive. V8 reads the survivors
 * as a reason to double the young generation, up to 16 MiB per semi-space: 32 MiB resident
 * that nothing outlives a turn in. Capped at 4 MiB, the bundled order sample under sustained
 * load peaked at 70 MB resident instead of 90, for scavenges four times as frequent: about 1 µs
 * more garbage collection per request.
 *
 * The limit gives way while a tenth of a semi-space or more survives each scavenge, judged once a
 * second from the least the young generation held at any look, three seconds in a row (the
 * order sample's 200 to 450 KB stayed under it, with a 4 MiB semi-space): requests that live across
 * scavenges (200 in flight, each awaiting 5 ms) were promoted by a 4 MiB one, which cost them
 * 60 µs of CPU per request instead of 39; V8's own growth then stands.
 *
 * `--max-semi-space-size` would do it from the command line, but any V8 option there costs
 * every start about 10 ms: V8 then refuses the code cache compiled into Node.js for its own
 * modules, and the one `fc-kernel build` recorded. So the limit is held from inside, once the
 * process has loaded: V8 doubles the young generation by its growth factor, which it reads
 * each time it grows it, and every 25 ms the factor is set to 1 (no growth) once the limit is
 * reached, back to V8's 2 below it. (A `PerformanceObserver` of collections would see each one,
 * but its entries filled the old generation with garbage.) A young generation V8 shrank while
 * the process idled grows back the same way; one that a boot already grew past the limit stays
 * as it is until V8 shrinks it. The limit is a step of V8's doubling (1, 2, 4, 8 or 16 MiB): a
 * value between two steps stops at the next one up.
 *
 * Does nothing when the application sized the young generation itself: an option that sizes it
 * (`--max-semi-space-size`, `--min-semi-space-size`, `--semi-space-growth-factor`) on the command
 * line, in `NODE_OPTIONS`, or given to `v8.setFlagsFromString` once fc-kernel is loaded (before
 * `serve()`, or while it runs: the limit then lets go, leaving V8 the application's flags). Does
 * nothing either when V8 does not report the young generation.
 */
export function capYoungGeneration(
  semiSpaceMiB: number,
  startedWith: readonly string[] = [...process.execArgv, process.env.NODE_OPTIONS ?? ''],
): () => void {
  if (sizedByApplication || startedWith.some((option) => SIZING_OPTION.test(option)) || youngGeneration().size === 0) {
    return () => undefined;
  }
  const limit = 2 * semiSpaceMiB * MIB;
  let factor = V8_GROWTH_FACTOR;
  // The least the young generation held at any look of a window: what its last scavenge kept, and
  // a little of what was allocated after it.
  let least = Infinity;
  let looks = 0;
  // Scavenges seen in the window (what the young generation holds only drops at one): an idle
  // process's young generation holds what it last allocated, which says nothing of survivors.
  let scavenges = 0;
  let held = 0;
  /** Windows in a row that saw many survive: the limit gives way after `WINDOWS_TO_GIVE_WAY`. */
  let crowded = 0;
  const steer = (): void => {
    if (sizedByApplication) return release();
    const { size, used } = youngGeneration();
    if (used < held) scavenges++;
    held = used;
    least = Math.min(least, used);
    if (++looks === LOOKS_PER_WINDOW) {
      if (scavenges >= SCAVENGES_TO_JUDGE) crowded = least > SURVIVING_SHARE * (size / 2) ? crowded + 1 : 0;
      least = Infinity;
      looks = 0;
      scavenges = 0;
    }
    const wanted = size < limit || crowded >= WINDOWS_TO_GIVE_WAY ? V8_GROWTH_FACTOR : 1;
    if (wanted === factor) return;
    factor = wanted;
    v8SetFlags(`--semi-space-growth-factor=${wanted}`);
  };
  const release = (): void => {
    clearInterval(timer);
    // A growth factor the application set stands; V8's own comes back in place of the limit's.
    if (factor !== V8_GROWTH_FACTOR && !growthFactorByApplication) {
      v8SetFlags(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
    }
    factor = V8_GROWTH_FACTOR;
  };
  const timer = setInterval(steer, CHECK_EVERY_MS).unref();
  steer();
  return release;
}
