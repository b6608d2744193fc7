import { relative, resolve } from 'node:path';
import { usageError } from './CliError';
import type { Command } from './Command';
import { bundleEntry, type BundleReport, type BundleTarget } from './bundleEntry';
import { resolveEntry } from './loadEntry';
import { parseCommandArgs } from './parseCommandArgs';

const DEFAULT_OUT = 'dist-bundle';
const TARGETS: readonly BundleTarget[] = ['container', 'custom-runtime'];

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  target: { type: 'string', short: 't' },
  'no-code-cache': { type: 'boolean' },
} as const;

const HELP = `Usage:
  fc-kernel build <entry> [--out <dir>] [--target container|custom-runtime] [--no-code-cache]

Bundles the compiled entry and everything it loads into one file, so that the function runs
with node alone (no node_modules) and starts faster: class names are kept (fc-kernel and its
messages use them), and what the app does not use of class-validator (most validators,
validator.js, libphonenumber-js) is left out.

<entry> is compiled JavaScript: tsc's output, which carries the decorator metadata that
esbuild cannot produce from TypeScript. Either the module that exports your @FcFunction
classes, as for fc-kernel serve and invoke (the bundle serves them the same way), or your
main module, which calls serve() itself (to pass it options).

Writes into <dir>:
  index.js      what runs: node <dir>/index.js
  bundle.js     the bundle, and bundle.js.map, its source map (node --enable-source-maps)
  bundle.cache  V8's code cache of the bundle, which spares a start compiling it again
  bundle.cache.json  which Node.js recorded it, with which flags: the cache is used on that
                Node.js alone (another Node.js 20 build would crash on it); NODE_DEBUG=fc-kernel
                says at each start whether it was used
  bootstrap     with --target custom-runtime: what FC's custom runtime starts

To record the code cache, the build loads the bundle once, in a child process, without
serving: an entry's modules run as fc-kernel serve would load them; a main module's serve()
gets port 0, and the process ends before answering anything. --no-code-cache skips it.

Targets:
  container       for an image: COPY <dir> and CMD ["node", "index.js"] (the default)
  custom-runtime  also <dir>/bootstrap, for FC's custom runtime (runtime: custom.debian12):
                  deploy <dir> as the function's code package, with FC's official Node.js
                  layer; the bootstrap runs the node on PATH, else the newest of
                  /opt/nodejs*/bin (the layers'), else of /var/fc/lang/nodejs*/bin

Options:
  -o, --out <dir>     where to write (default ${DEFAULT_OUT}); other files there are left alone
  -t, --target <t>    container or custom-runtime (default container)
      --no-code-cache  do not load the bundle to record its code cache
  -h, --help          show this help

Needs esbuild in the project: npm install --save-dev esbuild

Exit status: 0 once written (a code cache that could not be recorded is reported on stderr);
1 when esbuild fails; 2 for a usage error, a missing entry or esbuild, or a bundle that would
not run as the entry does (TypeScript sources, two copies of a library).

Examples:
  fc-kernel build dist/src/index.js
  fc-kernel build dist/src/main.js --target custom-runtime --out code
`;

/** `fc-kernel build`: the entry as one bundle, for an image or FC's custom runtime. */
export const buildCommand: Command = {
  name: 'build',
  summary: 'bundle the entry into one file, for an image or the custom runtime',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    if (positionals.length !== 1) throw usageError('give exactly one entry to build');
    const target = (values.target ?? 'container') as BundleTarget;
    if (!TARGETS.includes(target)) {
      throw usageError(`--target is one of ${TARGETS.join(', ')} (got ${JSON.stringify(values.target)})`);
    }
    if (values.out === '') throw usageError('--out needs a directory');
    const entryName = positionals[0];
    const report = await bundleEntry({
      entryFile: resolveEntry(entryName, io.cwd),
      entryName,
      outDir: resolve(io.cwd, values.out ?? DEFAULT_OUT),
      target,
      codeCache: !values['no-code-cache'],
      cwd: io.cwd,
      env: io.env,
    });
    io.stdout.write(describeReport(report, io.cwd));
    for (const warning of report.warnings) io.stderr.write(`fc-kernel build: warning:${warning}\n`);
    if (report.codeCacheProblem !== undefined) {
      io.stderr.write(
        `fc-kernel build: no code cache recorded, so each start compiles the bundle: ${report.codeCacheProblem}\n`,
      );
    }
    return 0;
  },
};

function describeReport(report: BundleReport, cwd: string): string {
  const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
  const parts = [...report.bytesByPackage].map(([name, bytes]) => `${name} ${kB(bytes)}`).join(', ');
  const lines = [
    `bundled ${kB(report.bytes)}: ${parts}`,
    ...report.files.map((file) => `wrote ${relative(cwd, file)}`),
  ];
  return `${lines.join('\n')}\n`;
}
