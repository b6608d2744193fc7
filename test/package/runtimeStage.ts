import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT, runOk } from './packing';

/** The last stage of a Dockerfile, as the image runs it: its environment and command. */
export interface RuntimeStage {
  env: Record<string, string>;
  cmd: string[];
}

/**
 * Builds the last stage of a sample's Dockerfile into `dir`, without Docker: `COPY` from the
 * build context (the repository) or from the build stage (whose `/app` is the repository after
 * `npm run build`), `RUN` in `dir` with the stage's `ENV`. Other instructions do not change the
 * files; an instruction this does not know fails, so the emulation cannot silently drift from the
 * Dockerfile.
 */
export async function buildRuntimeStage(dockerfile: string, dir: string): Promise<RuntimeStage> {
  const lines = readFileSync(dockerfile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const lastFrom = lines.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
  const stage: RuntimeStage = { env: {}, cmd: [] };
  mkdirSync(dir, { recursive: true });
  for (const line of lines.slice(lastFrom + 1)) {
    const [, instruction = '', rest = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    switch (instruction.toUpperCase()) {
      case 'WORKDIR':
      case 'USER':
      case 'EXPOSE':
        break;
      case 'ENV':
        for (const pair of rest.split(/\s+/)) {
          const [name, value = ''] = pair.split('=');
          stage.env[name!] = value;
        }
        break;
      case 'COPY':
        copy(rest.split(/\s+/), dir);
        break;
      case 'RUN':
        await runOk('sh', ['-c', rest], dir, stage.env);
        break;
      case 'CMD':
        stage.cmd = JSON.parse(rest) as string[];
        break;
      default:
        throw new Error(`cannot emulate ${line}`);
    }
  }
  return stage;
}

function copy(args: string[], dir: string): void {
  const fromBuild = args[0] === '--from=build';
  const paths = fromBuild ? args.slice(1) : args;
  const target = paths.pop()!;
  for (const source of paths) {
    const from = fromBuild ? join(PROJECT_ROOT, source.replace(/^\/app\//, '')) : join(PROJECT_ROOT, source);
    const to = target.endsWith('/') ? join(dir, target, source.split('/').pop()!) : join(dir, target);
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to, { recursive: true });
  }
}
