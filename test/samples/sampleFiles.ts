import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Constructor } from '../../src';
import { loadEntry } from '../../src/cli/loadEntry';
import { readDockerfile, readSYaml, type Dockerfile, type Props, type SYaml } from '../helpers/fc3Deployment';
import { PROJECT_ROOT } from './helpers';

/** The samples, one directory each. */
export const SAMPLES_DIR = join(PROJECT_ROOT, 'samples');

/** Every sample's name: each directory of samples/, so that a new one is checked without being listed. */
export function sampleNames(): string[] {
  return readdirSync(SAMPLES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** A sample's s.yaml, its variables resolved as Serverless Devs resolves them. */
export function sampleSYaml(sample: string): SYaml {
  return readSYaml(join(SAMPLES_DIR, sample, 's.yaml'));
}

export function sampleDockerfile(sample: string): Dockerfile {
  return readDockerfile(join(SAMPLES_DIR, sample, 'Dockerfile'));
}

/** The props of each resource of the sample's s.yaml. */
export function sampleProps(sample: string): Props[] {
  return Object.values(sampleSYaml(sample).resources).map((r) => r.props);
}

/** The props of the sample's resource that deploys `functionName`. */
export function propsOf(sample: string, functionName: string): Props {
  const props = sampleProps(sample).find((p) => p.functionName === functionName);
  if (!props) throw new Error(`samples/${sample}/s.yaml deploys no function named ${functionName}`);
  return props;
}

/** The functions a sample deploys: what its compiled index entry exports, as `fc-kernel invoke` loads it. */
export function sampleFunctions(sample: string): Constructor[] {
  return loadEntry(`dist/samples/${sample}/index.js`, PROJECT_ROOT).functions;
}
