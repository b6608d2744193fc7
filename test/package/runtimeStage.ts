import { cpSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
 * Builds an image without Docker: the Dockerfile's `build` stage in `<dir>-build`, then its last
 * stage in `dir`, each stage's `WORKDIR` being its directory. `COPY` takes from the build
 * `context` (the repository, for a sample) or, with `--from=build`, from the build stage; `RUN`
 * runs in the stage's directory with the stage's `ENV`, except the build stage's `npm ci`, for
 * which the context's own install of the same lockfile is linked in. Other instructions do not
 * change the files; one this does not know fails, so the emulation cannot silently drift from
 * the Dockerfile.
 */
export async function buildRuntimeStage(
  dockerfile: string,
  dir: string,
  context: string = PROJECT_ROOT,
): Promise<RuntimeStage> {
  const stages = parseStages(readFileSync(dockerfile, 'utf8'));
  const last = stages.at(-1)!;
  const build = stages.find((stage) => stage.name === 'build' && stage !== last);
  const buildDir = join(dirname(dir), `${basename(dir)}-build`);
  if (build) await runStage(build, buildDir, { context });
  return runStage(last, dir, { context, buildDir: build ? buildDir : undefined });
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

interface Sources {
  context: string;
  buildDir?: string;
}

async function runStage(stage: Stage, dir: string, sources: Sources): Promise<RuntimeStage> {
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
        copy(rest.split(/\s+/), dir, sources);
        break;
      case 'RUN':
        if (stage.name === 'build' && rest === 'npm ci') {
          symlinkSync(join(sources.context, 'node_modules'), join(dir, 'node_modules'));
        } else {
          await runOk('sh', ['-c', rest], dir, result.env);
        }
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

/** Docker's `COPY`: a directory's contents into the target; a file into it (`dir/`) or as it. */
function copy(args: string[], dir: string, { context, buildDir }: Sources): void {
  const fromBuild = args[0] === '--from=build';
  if (fromBuild && buildDir === undefined) throw new Error('COPY --from=build without a build stage');
  const paths = fromBuild ? args.slice(1) : args;
  const target = paths.pop()!;
  for (const source of paths) {
    const from = fromBuild ? join(buildDir!, source.replace(/^\/app\//, '')) : join(context, source);
    const into = join(dir, target);
    const to = !statSync(from).isDirectory() && target.endsWith('/') ? join(into, basename(source)) : into;
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to, { recursive: true });
  }
}
