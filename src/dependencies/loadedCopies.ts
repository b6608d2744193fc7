import { ConfigurationError } from '../errors/ConfigurationError';
import {
  PEER_PACKAGES,
  packageOfFile,
  resolvedPackageDir,
  testedRange,
  versionAt,
  type PeerPackage,
} from './installedPackage';

/** A library loaded from more than one directory. */
export interface DuplicateCopies {
  name: PeerPackage;
  /** Every directory a copy was loaded from, in load order. */
  dirs: string[];
}

const PEERS: ReadonlySet<string> = new Set(PEER_PACKAGES);

/** Which of fc-kernel's peer libraries the loaded files show in more than one copy. */
export function findDuplicateCopies(files: Iterable<string>): DuplicateCopies[] {
  const dirsByName = new Map<PeerPackage, Set<string>>();
  for (const file of files) {
    const owner = packageOfFile(file);
    if (!owner || !PEERS.has(owner.name)) continue;
    const name = owner.name as PeerPackage;
    let dirs = dirsByName.get(name);
    if (!dirs) dirsByName.set(name, (dirs = new Set()));
    dirs.add(owner.dir);
  }
  const duplicates: DuplicateCopies[] = [];
  for (const name of PEER_PACKAGES) {
    const dirs = dirsByName.get(name);
    if (dirs && dirs.size > 1) duplicates.push({ name, dirs: [...dirs] });
  }
  return duplicates;
}

/** What goes wrong when two copies of each library meet. */
const CONSEQUENCE: Record<PeerPackage, string> = {
  'class-transformer':
    "decorators such as @Type() record into the store of the copy they come from, so fc-kernel's copy does not see them and nested events are neither transformed nor validated",
  tsyringe:
    "@injectable() classes and registrations of one copy are unknown to the other's containers, so functions cannot be constructed",
  'class-validator':
    "the two copies share their constraints only as far as their versions agree, and custom constraints and `useContainer` are each copy's own",
  'reflect-metadata': 'the copy loaded last replaces the Reflect API of the first, and metadata may be lost',
};

/**
 * Fails when any of fc-kernel's peer libraries is loaded twice (an app with its own copy of
 * class-transformer next to fc-kernel's, as `npm install ../fc-kernel` leaves it): decorators
 * would then write where fc-kernel never reads, and the error would name the wrong cause.
 */
export function assertSingleCopies(files: Iterable<string>): void {
  const [duplicate] = findDuplicateCopies(files);
  if (!duplicate) return;
  const { name, dirs } = duplicate;
  const own = resolvedPackageDir(name);
  const copies = dirs.map((dir) => `${dir} (${versionAt(dir)}${dir === own ? ", fc-kernel's" : ''})`).join(' and ');
  throw new ConfigurationError(
    'INCOMPATIBLE_DEPENDENCY',
    `Two copies of ${name} are loaded: ${copies}. They do not share state: ${CONSEQUENCE[name]}. ` +
      `The app and fc-kernel must use one copy: ${name} is a peer dependency of fc-kernel, so install it ` +
      `once, in the app (${testedRange(name)}), and remove the other copy (\`npm dedupe\`; for fc-kernel ` +
      `installed from a folder, its own node_modules/${name}); \`npm ls ${name}\` shows every copy`,
  );
}
