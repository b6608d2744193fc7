import { expect } from 'chai';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../../src/cli/CliError';
import { loadEntry } from '../../src/cli/loadEntry';
import { Echo } from './fixtures/multi';
import { fixture, PROJECT_ROOT } from './helpers';

const FC_KERNEL = join(PROJECT_ROOT, 'dist/src/index.js');

/** Plain JavaScript declaring functions with this repository's fc-kernel, as a JS user would. */
function jsFunction(name: string): string {
  return `(() => {
  const { FcFunction, OnInvoke } = require(${JSON.stringify(FC_KERNEL)});
  class ${name} { handle() { return '${name}'; } }
  OnInvoke()(${name}.prototype, 'handle', Object.getOwnPropertyDescriptor(${name}.prototype, 'handle'));
  FcFunction({ name: '${name.toLowerCase()}' })(${name});
  return ${name};
})()`;
}

describe('loadEntry', () => {
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'fc-kernel-entry-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(file: string, text: string): string {
    const path = join(dir, file);
    writeFileSync(path, text);
    return path;
  }

  function loadError(entry: string): CliError {
    try {
      loadEntry(entry, dir);
    } catch (error) {
      expect(error).to.be.instanceOf(CliError);
      return error as CliError;
    }
    throw new Error('loadEntry did not throw');
  }

  it('takes named exports and a default array, each function once, and ignores the other exports', () => {
    const entry = loadEntry(fixture('multi'), PROJECT_ROOT);
    expect(entry.functions.map((f) => f.name)).to.deep.equal(['Echo', 'Shout']);
    expect(entry.functions[0]).to.equal(Echo);
    expect(entry.file).to.equal(join(PROJECT_ROOT, fixture('multi')));
  });

  it('takes module.exports as the class itself, or as an array', () => {
    write('single.js', `module.exports = ${jsFunction('Single')};`);
    write('list.js', `module.exports = [${jsFunction('First')}, ${jsFunction('Second')}];`);
    expect(loadEntry('single.js', dir).functions.map((f) => f.name)).to.deep.equal(['Single']);
    expect(loadEntry('./list', dir).functions.map((f) => f.name)).to.deep.equal(['First', 'Second']);
  });

  it('resolves a path relative to the working directory, a directory through its index.js', () => {
    mkdirSync(join(dir, 'app'));
    write('app/index.js', `exports.Named = ${jsFunction('Named')};`);
    expect(loadEntry('app', dir).file).to.equal(join(dir, 'app/index.js'));
  });

  it('a module the entry requires that is missing is a loading failure, not a missing entry', () => {
    write('needs.js', "require('./not-there');");
    const error = loadError('needs.js');
    expect(error.exitCode).to.equal(2);
    expect(error.message).to.match(/^loading the entry needs\.js failed: Error: Cannot find module '\.\/not-there'/);
  });

  it('an entry whose fc-kernel is another copy: says so, with both paths', () => {
    // The entry's fc-kernel keeps its own records: to this CLI its classes are not functions.
    mkdirSync(join(dir, 'node_modules/fc-kernel'), { recursive: true });
    write('node_modules/fc-kernel/package.json', JSON.stringify({ name: 'fc-kernel', main: 'index.js' }));
    write('node_modules/fc-kernel/index.js', 'exports.FcFunction = () => () => undefined;');
    write(
      'other.js',
      "const { FcFunction } = require('fc-kernel'); class Other {} FcFunction()(Other); exports.Other = Other;",
    );
    const error = loadError('other.js');
    expect(error.exitCode).to.equal(2);
    expect(error.message).to.include('other.js exports no @FcFunction class (its exports: Other).');
    expect(error.message).to.include(
      `The entry loads another copy of fc-kernel (${join(dir, 'node_modules/fc-kernel/index.js')}) than this command's (${FC_KERNEL})`,
    );
  });

  it('an entry that sees the same fc-kernel gets no such hint', () => {
    write('plain.js', 'exports.value = 1;');
    expect(loadError('plain.js').message).to.not.include('another copy');
  });
});
