import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigurationError, container as globalContainer, type DependencyContainer } from '../../src';
import { checkTsyringeInternals } from '../../src/di/tsyringeInternals';

const installed = JSON.parse(readFileSync(require.resolve('tsyringe/package.json'), 'utf8')) as { version: string };
const installedDir = dirname(require.resolve('tsyringe/package.json'));
const tested = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    peerDependencies?: Record<string, string>;
    dependencies?: Record<string, string>;
  }
).peerDependencies?.tsyringe;

/**
 * A container under which every container is first passed to `damage`, as a tsyringe with other
 * internals would make them.
 */
function containerWhose(damage: (container: Record<string, unknown>) => void): DependencyContainer {
  const damaged = (container: DependencyContainer): DependencyContainer => {
    const create = container.createChildContainer.bind(container);
    container.createChildContainer = () => damaged(create());
    damage(container as unknown as Record<string, unknown>);
    return container;
  };
  return {
    createChildContainer: () => damaged(globalContainer.createChildContainer()),
  } as unknown as DependencyContainer;
}

function failureOf(check: () => void): ConfigurationError {
  try {
    check();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  expect.fail('the check passed');
}

describe("tsyringe's internals", () => {
  it('have every shape fc-kernel relies on in the installed version', () => {
    expect(() => checkTsyringeInternals()).to.not.throw();
  });

  it('a container without `parent` fails, naming the version found and the range tested', () => {
    const error = failureOf(() =>
      checkTsyringeInternals(
        containerWhose((child) => {
          // What a release renaming the field would leave.
          child.parentContainer = child.parent;
          delete child.parent;
        }),
      ),
    );
    expect(error.code).to.equal('INCOMPATIBLE_DEPENDENCY');
    expect(error.message).to.include(`tsyringe ${installed.version} (${installedDir})`);
    expect(error.message).to.include('a child container does not keep its parent as `parent`');
    expect(error.message).to.include(`fc-kernel is tested with tsyringe ${tested ?? installed.version}`);
    expect(error.message).to.include('npm ls tsyringe');
  });

  it('a registry without setAll fails', () => {
    const error = failureOf(() =>
      checkTsyringeInternals(
        containerWhose((child) => {
          child._registry = new Map();
        }),
      ),
    );
    expect(error.code).to.equal('INCOMPATIBLE_DEPENDENCY');
    expect(error.message).to.include("a container's `_registry` lacks one of entries, get, getAll, set, setAll");
  });

  it('a container that keeps its disposables elsewhere fails', () => {
    const error = failureOf(() =>
      checkTsyringeInternals(
        containerWhose((child) => {
          child.disposableInstances = child.disposables;
          delete child.disposables;
        }),
      ),
    );
    expect(error.message).to.include('a container keeps no `disposables` Set');
  });

  it('a registry whose set() is bypassed fails: late container-scoped registrations would go unseen', () => {
    const error = failureOf(() =>
      checkTsyringeInternals(
        containerWhose((child) => {
          const registry = child._registry as { set: unknown; setAll: unknown };
          const { setAll } = registry as { setAll: (token: unknown, list: unknown[]) => void };
          // Still a registry, but register() now reaches it some other way.
          child.register = function (token: unknown, provider: unknown, options?: unknown) {
            setAll.call(registry, token, [{ provider, options: options ?? { lifecycle: 0 } }]);
            return this;
          };
        }),
      ),
    );
    expect(error.message).to.include("register() does not go through its registry's set()");
  });

  it('an @injectable() that records somewhere else fails', () => {
    const error = failureOf(() => checkTsyringeInternals(globalContainer, new Map()));
    expect(error.code).to.equal('INCOMPATIBLE_DEPENDENCY');
    expect(error.message).to.include('@injectable() does not record into `typeInfo`');
  });

  it('a typeInfo that is no Map fails', () => {
    const error = failureOf(() => checkTsyringeInternals(globalContainer, {}));
    expect(error.message).to.include('`typeInfo` of dist/cjs/dependency-container is not a Map');
  });

  it('a container that throws while probed fails with the cause kept', () => {
    const broken = {
      createChildContainer: () => {
        throw new TypeError('no children here');
      },
    } as unknown as DependencyContainer;
    const error = failureOf(() => checkTsyringeInternals(broken));
    expect(error.code).to.equal('INCOMPATIBLE_DEPENDENCY');
    expect(error.message).to.include('probing its containers failed (TypeError: no children here)');
    expect(error.cause).to.be.instanceOf(TypeError);
  });
});
