import { expect } from 'chai';
import { join } from 'node:path';
import { checkBundledInputs } from '../../src/cli/bundledInputs';

const APP = '/srv/app';
const modules = (...paths: string[]) => paths.map((p) => join(APP, 'node_modules', p));

describe('checkBundledInputs: what a bundle may hold', () => {
  it("accepts the app's files with one build of each peer library", () => {
    expect(() =>
      checkBundledInputs([
        join(APP, 'dist/main.js'),
        join(APP, 'dist/types.d.ts'),
        ...modules(
          'class-validator/esm2015/index.js',
          'class-validator/esm2015/decorator/string/IsEmail.js',
          'tsyringe/dist/cjs/index.js',
          'reflect-metadata/Reflect.js',
          'validator/lib/isEmail.js',
        ),
      ]),
    ).to.not.throw();
  });

  it('refuses TypeScript sources, naming them', () => {
    expect(() => checkBundledInputs([join(APP, 'dist/main.js'), join(APP, 'src/dto.ts')])).to.throw(
      /TypeScript source \(\/srv\/app\/src\/dto\.ts\)/,
    );
  });

  it('refuses two copies of a peer library, naming both', () => {
    const files = modules('class-transformer/cjs/index.js', 'lib/node_modules/class-transformer/cjs/index.js');
    expect(() => checkBundledInputs(files)).to.throw(
      'two copies of class-transformer (/srv/app/node_modules/class-transformer and /srv/app/node_modules/lib/node_modules/class-transformer)',
    );
  });

  it('refuses two builds of one peer library, which are two copies too', () => {
    const files = modules('tsyringe/dist/cjs/index.js', 'tsyringe/dist/esm2015/index.js');
    expect(() => checkBundledInputs(files)).to.throw('two builds of tsyringe (dist/cjs and dist/esm2015)');
  });

  it('lets another library mix its builds: only the peers share state with fc-kernel', () => {
    expect(() => checkBundledInputs(modules('some-lib/cjs/a.js', 'some-lib/esm/b.js'))).to.not.throw();
  });
});
