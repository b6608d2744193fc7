import type { PackageManifest } from '../packageManifest';
import { projectName } from './projectName';

/**
 * The project's development tools, each with the devDependency of fc-kernel whose version it
 * takes: the versions fc-kernel's own build and tests run, so that a new project builds and tests
 * with a set known to work. TypeScript is the native compiler, TypeScript 7; esbuild is what
 * `fc-kernel build` bundles the image's code with.
 */
const TOOLS: Readonly<Record<string, string>> = {
  typescript: 'tsc7',
  mocha: 'mocha',
  chai: 'chai',
  '@types/chai': '@types/chai',
  '@types/mocha': '@types/mocha',
  '@types/node': '@types/node',
  esbuild: 'esbuild',
};

/** Deletes dist/ before a build, so that a renamed source leaves no stale test behind; on any OS. */
const CLEAN = `node -e "require('node:fs').rmSync('dist', { recursive: true, force: true })"`;

/**
 * The new project's package.json, named after its function: fc-kernel at `fcKernelSpec`, its
 * required peers at the ranges this fc-kernel declares, the tools at the versions it is tested
 * with.
 *
 * @throws Error when fc-kernel's own package.json lacks one of the tools, which only a broken
 * build of fc-kernel could do.
 */
export function projectManifest(
  functionName: string,
  fcKernelSpec: string,
  fcKernel: PackageManifest,
): Record<string, unknown> {
  return {
    name: projectName(functionName),
    version: '0.1.0',
    private: true,
    description: `The ${functionName} function for Alibaba Cloud Function Compute, written with fc-kernel`,
    type: 'commonjs',
    main: 'dist/src/index.js',
    scripts: {
      clean: CLEAN,
      build: 'npm run clean --silent && tsc',
      pretest: 'npm run build --silent',
      test: 'mocha',
      prestart: 'npm run build --silent',
      // exec: npm's SIGTERM then reaches the server itself, not a shell that would leave it running.
      start: 'exec node dist/src/main.js',
      prebundle: 'npm run build --silent',
      // What the Dockerfile's build stage runs, to try the image's code without Docker.
      bundle: 'fc-kernel build dist/src/main.js',
    },
    dependencies: sorted({ [fcKernel.name]: fcKernelSpec, ...requiredPeers(fcKernel) }),
    devDependencies: sorted(
      Object.fromEntries(Object.entries(TOOLS).map(([tool, source]) => [tool, pinnedVersion(fcKernel, source)])),
    ),
    ...(fcKernel.engines?.node ? { engines: { node: fcKernel.engines.node } } : {}),
  };
}

/**
 * The peers the function runs with. An optional one is a tool (esbuild, for `fc-kernel build`),
 * which the function never loads: a project gets it among its devDependencies, from {@link TOOLS}.
 */
function requiredPeers(fcKernel: PackageManifest): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fcKernel.peerDependencies).filter(([peer]) => !fcKernel.peerDependenciesMeta?.[peer]?.optional),
  );
}

/** The version fc-kernel pins a devDependency to, an alias's (`npm:typescript@7.0.2`) included. */
function pinnedVersion(fcKernel: PackageManifest, name: string): string {
  const spec = fcKernel.devDependencies?.[name];
  if (spec === undefined) throw new Error(`fc-kernel's package.json has no devDependency ${name}`);
  return spec.startsWith('npm:') ? spec.slice(spec.lastIndexOf('@') + 1) : spec;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
