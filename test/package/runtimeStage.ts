import { cpSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PROJECT_ROOT, runOk } from './packing';

/** The last stage of a Dockerfile, as the image runs it: its files, environment and command. */
export interface RuntimeStage {
  /** Where its files are: the image's `WORKDIR`. */
  dir: string;
  env: Record<string, string>;
  cmd: string[];
}

interface Stage {
  name: string | undefined;
  instructions: string[];
}

/**
 * Builds a sample's image without Docker, into `dir`: its `build` stage in `dir/build`, then its
 * last stage in `dir/image`, each stage's `WORKDIR` being its directory. `COPY` takes from the
 * build context (the repository) or, with `--from=build`, from the build stage; `RUN` runs in the
 * stage's directory with the stage's `ENV`, except the build stage's `npm ci`, for which the
 * repository's own install of the same lockfile is linked in. Other instructions do not change
 * the files; one this does not know fails, so the emulation cannot silently drift from the
 * Dockerfile.
 */
export async function buildRuntimeStage(dockerfile: string, dir: string): Promise<RuntimeStage> {
  const stages = parseStages(readFileSync(dockerfile, 'utf8'));
  const build = stages.find((stage) => stage.name === 'build');
  const last = stages.at(-1)!;
  const buildDir = join(dir, 'build');
  if (build && build !== last) await runStage(build, buildDir, undefined);
  return runStage(last, join(dir, 'image'), build && build !== last ? buildDir : undefined);
}

function parseStages(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) stages.push({ name: from[1], instructions: [] });
    else stages.at(-1)?.instructions.push(line);
  }
  return stages;
}

async function runStage(stage: Stage, dir: string, buildDir: string | undefined): Promise<RuntimeStage> {
  const result: RuntimeStage = { dir, env: {}, cmd: [] };
  mkdirSync(dir, { recursive: true });
  for (const line of stage.instructions) {
    const [, instruction = '', rest = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    switch (instruction.toUpperCase()) {
      case 'WORKDIR':
      case 'USER':
      case 'EXPOSE':
        break;
      case 'ENV':
        for (const pair of rest.split(/\s+/)) {
          const [name, value = ''] = pair.split('=');
          result.env[name!] = value;
        }
        break;
      case 'COPY':
        copy(rest.split(/\s+/), dir, buildDir);
        break;
      case 'RUN':
        if (stage.name === 'build' && rest === 'npm ci')
          symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'));
        else await runOk('sh', ['-c', rest], dir, result.env);
        break;
      case 'CMD':
        result.cmd = JSON.parse(rest) as string[];
        break;
      default:
        throw new Error(`cannot emulate ${line}`);
    }
  }
  return result;
}

/** Docker's `COPY`: a directory's contents into the target, a file into it or as it. */
function copy(args: string[], dir: string, buildDir: string | undefined): void {
  const fromBuild = args[0] === '--from=build';
  if (fromBuild && buildDir === undefined) throw new Error('COPY --from=build without a build stage');
  const paths = fromBuild ? args.slice(1) : args;
  const target = paths.pop()!;
  for (const source of paths) {
    const from = fromBuild ? join(buildDir!, source.replace(/^\/app\//, '')) : join(PROJECT_ROOT, source);
    const into = join(dir, target);
    const to = !statSync(from).isDirectory() && target.endsWith('/') ? join(into, basename(source)) : into;
    cpSync(from, to, { recursive: true });
  }
}
