import { expect } from 'chai';
import { classValidatorEventValidator, DEFAULT_VALIDATION_OPTIONS } from '../../src';
import { resolveValidationOptions } from '../../src/validation/options';

describe('validation options', () => {
  it('start from the pinned defaults', () => {
    expect(resolveValidationOptions()).to.deep.equal(DEFAULT_VALIDATION_OPTIONS);
    expect(resolveValidationOptions(undefined, undefined)).to.deep.equal(DEFAULT_VALIDATION_OPTIONS);
  });

  it('layer kernel then function settings, the later winning', () => {
    const resolved = resolveValidationOptions(
      { whitelist: false, stopAtFirstError: true, groups: ['kernel'] },
      { whitelist: true, groups: ['function'] },
    );
    expect(resolved).to.deep.equal({
      ...DEFAULT_VALIDATION_OPTIONS,
      whitelist: true,
      stopAtFirstError: true,
      groups: ['function'],
    });
  });

  it('ignore undefined values and the validator engine', () => {
    const resolved = resolveValidationOptions(
      { forbidNonWhitelisted: false, validator: classValidatorEventValidator },
      { forbidNonWhitelisted: undefined },
    );
    expect(resolved.forbidNonWhitelisted).to.equal(false);
    expect(resolved).to.not.have.property('validator');
  });

  it('never change the defaults', () => {
    resolveValidationOptions({ whitelist: false });
    expect(DEFAULT_VALIDATION_OPTIONS.whitelist).to.equal(true);
  });
});
