import { expect } from 'chai';
import { IsString, ValidateNested } from 'class-validator';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { ConfigurationError, createKernel, Event, FcFunction, OnInvoke } from '../../src';
import { findDuplicateCopies } from '../../src/dependencies/loadedCopies';
import { checkClassTransformerInternals } from '../../src/validation/classTransformerInternals';
import { checkClassValidatorInternals, validatorStorage } from '../../src/validation/classValidatorInternals';

const ownClassTransformer = dirname(require.resolve('class-transformer/package.json'));
const version = (JSON.parse(readFileSync(join(ownClassTransformer, 'package.json'), 'utf8')) as { version: string })
  .version;

describe("class-transformer's internals", () => {
  it('hold what @Type() records in the installed version', () => {
    expect(() => checkClassTransformerInternals()).to.not.throw();
  });

  it('a store that does not hold @Type() fails, naming the version found', () => {
    let error: unknown;
    try {
      checkClassTransformerInternals({ findTypeMetadata: () => undefined });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).to.equal('INCOMPATIBLE_DEPENDENCY');
    expect((error as Error).message).to.include(`class-transformer ${version} (${ownClassTransformer})`);
    expect((error as Error).message).to.include('does not hold what @Type() records');
    expect((error as Error).message).to.include('fc-kernel is tested with class-transformer');
  });

  it('a store without findTypeMetadata fails with its cause', () => {
    let error: unknown;
    try {
      checkClassTransformerInternals({} as never);
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigurationError).code).to.equal('INCOMPATIBLE_DEPENDENCY');
    expect((error as Error).message).to.include('reading @Type() from its metadata store failed (TypeError');
  });
});

describe("class-validator's internals", () => {
  const ownClassValidator = dirname(require.resolve('class-validator/package.json'));

  it('answer what @IsString() records in the installed version', () => {
    expect(() => checkClassValidatorInternals()).to.not.throw();
  });

  it('a store that groups records otherwise fails, naming the version found', () => {
    const storage = validatorStorage();
    let error: unknown;
    try {
      checkClassValidatorInternals({
        getTargetValidationMetadatas: (...args) => storage.getTargetValidationMetadatas(...args),
        getTargetValidatorConstraints: (target) => storage.getTargetValidatorConstraints(target),
        groupByPropertyName: () => ({}),
      });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigurationError).code).to.equal('INCOMPATIBLE_DEPENDENCY');
    expect((error as Error).message).to.include(`class-validator `);
    expect((error as Error).message).to.include(ownClassValidator);
    expect((error as Error).message).to.include('groupByPropertyName does not group records by their propertyName');
  });

  it('a store that cannot be read fails with its cause', () => {
    let error: unknown;
    try {
      checkClassValidatorInternals({} as never);
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigurationError).code).to.equal('INCOMPATIBLE_DEPENDENCY');
    expect((error as Error).message).to.include('reading its metadata store failed (TypeError');
  });
});

describe('two loaded copies of a library', () => {
  const app = `${sep}app${sep}node_modules${sep}`;
  const kernel = `${sep}app${sep}node_modules${sep}fc-kernel${sep}node_modules${sep}`;

  it('are found per library, from the directory after the last node_modules', () => {
    const files = [
      `${app}tsyringe${sep}dist${sep}cjs${sep}index.js`,
      `${app}tsyringe${sep}dist${sep}cjs${sep}dependency-container.js`,
      `${kernel}tsyringe${sep}dist${sep}cjs${sep}index.js`,
      `${app}class-validator${sep}cjs${sep}index.js`,
      // A dependency of one copy is not a copy of the library.
      `${app}reflect-metadata${sep}node_modules${sep}tslib${sep}tslib.js`,
      `${app}reflect-metadata${sep}Reflect.js`,
      `${sep}app${sep}src${sep}class-transformer${sep}index.js`,
    ];
    expect(findDuplicateCopies(files)).to.deep.equal([
      { name: 'tsyringe', dirs: [`${app}tsyringe`, `${kernel}tsyringe`] },
    ]);
  });

  it('none in this process', () => {
    expect(findDuplicateCopies(Object.keys(require.cache))).to.deep.equal([]);
  });

  describe('a DTO decorated with a second copy of class-transformer', () => {
    let root: string;
    let copyDir: string;

    before(() => {
      root = realpathSync(mkdtempSync(join(tmpdir(), 'fc-kernel-copies-')));
      copyDir = join(root, 'node_modules', 'class-transformer');
      cpSync(ownClassTransformer, copyDir, { recursive: true, dereference: true });
    });

    after(() => {
      // Later kernels in this process must not see the copy.
      for (const file of Object.keys(require.cache)) if (file.startsWith(root + sep)) delete require.cache[file];
      rmSync(root, { recursive: true, force: true });
    });

    it('fails the kernel at creation naming both copies and the fix, not the @Type', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the copy is loaded from a path
      const copy = require(copyDir) as typeof import('class-transformer');
      class Item {
        @IsString()
        sku!: string;
      }
      class Order {
        @ValidateNested({ each: true })
        @copy.Type(() => Item)
        items!: Item[];
      }
      @FcFunction({ name: 'two-copies' })
      class TakesOrders {
        @OnInvoke()
        handle(@Event() order: Order): number {
          return order.items.length;
        }
      }

      let error: unknown;
      try {
        createKernel({ functions: [TakesOrders], env: {}, logSink: () => undefined });
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(ConfigurationError);
      const { code, message } = error as ConfigurationError;
      expect(code).to.equal('INCOMPATIBLE_DEPENDENCY');
      expect(message).to.include('Two copies of class-transformer are loaded');
      expect(message).to.include(`${ownClassTransformer} (${version}, fc-kernel's)`);
      expect(message).to.include(`${copyDir} (${version})`);
      expect(message).to.include('peer dependency');
      expect(message).to.include('npm ls class-transformer');
      expect(message).to.not.include('has no @Type');
    });
  });
});
