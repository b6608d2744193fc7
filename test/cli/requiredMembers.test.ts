import { expect } from 'chai';
import { requiredMembers } from '../../src/cli/requiredMembers';

const names = (source: string) => {
  const found = requiredMembers(source, 'class-validator');
  return found && [...found].sort();
};

describe('requiredMembers: the exports a CommonJS module reads of one it requires', () => {
  it("reads tsc's output: members of the bound module, called or not", () => {
    const source = `"use strict";
const class_validator_1 = require("class-validator");
__decorate([(0, class_validator_1.IsString)(), (0, class_validator_1.Min)(1)], A.prototype, "a", void 0);
if (x instanceof class_validator_1.ValidationError) {}
const y = class_validator_1?.IsInt;`;
    expect(names(source)).to.deep.equal(['IsInt', 'IsString', 'Min', 'ValidationError']);
  });

  it("reads tsc's __importStar and __importDefault forms, tslib's too, and destructuring", () => {
    expect(names('const cv = __importStar(require("class-validator"));\ncv.IsEmail();')).to.deep.equal(['IsEmail']);
    expect(names("const cv = tslib_1.__importDefault(require('class-validator'));\ncv.default;")).to.deep.equal([
      'default',
    ]);
    expect(names('const { IsInt, Min: min, "Max": max, IsIn = fallback } = require("class-validator");')).to.deep.equal(
      ['IsIn', 'IsInt', 'Max', 'Min'],
    );
  });

  it('counts several bindings in one module, and none when it requires nothing', () => {
    const source = 'const a = require("class-validator");\nconst b = require("class-validator");\na.IsInt; b.Min;';
    expect(names(source)).to.deep.equal(['IsInt', 'Min']);
    expect(names('const other = require("class-transformer"); other.Type;')).to.deep.equal([]);
  });

  it('does not mistake a member of something else for a use, nor a longer name for the binding', () => {
    const source = 'const cv = require("class-validator");\nfoo.cv.bar; cvx.baz; cv.IsInt;';
    expect(names(source)).to.deep.equal(['IsInt']);
  });

  for (const [how, source] of [
    ['passed on', 'const cv = require("class-validator");\nregister(cv);'],
    ['enumerated', 'const cv = require("class-validator");\nObject.values(cv);'],
    ['indexed', 'const cv = require("class-validator");\ncv[name]();'],
    ['spread', 'const cv = require("class-validator");\nconst copy = { ...cv };'],
    ['required without a binding', 'exports.IsInt = require("class-validator").IsInt;'],
    ['destructured with a rest', 'const { IsInt, ...rest } = require("class-validator");'],
    ['destructured deeply', 'const { IsInt: { name } } = require("class-validator");'],
  ] as const) {
    it(`answers undefined (any export) for a module ${how}`, () => {
      expect(requiredMembers(source, 'class-validator')).to.equal(undefined);
    });
  }

  it('a mention it cannot account for, in a comment, makes it answer undefined rather than miss a name', () => {
    const source = '// cv is require("class-validator")\nconst cv = require("class-validator");\ncv.IsInt;';
    expect(requiredMembers(source, 'class-validator')).to.equal(undefined);
  });
});
