import { expect } from 'chai';
import {
  headerNumber,
  headerSeconds,
  headerValue,
  normalizeHeaders,
  publicHeaders,
  SECRET_HEADERS,
} from '../../src/context/headers';

describe('headers', () => {
  it('headerValue gives the first value, or an empty string', () => {
    expect(headerValue({ a: 'x' }, 'a')).to.equal('x');
    expect(headerValue({ a: ['first', 'second'] }, 'a')).to.equal('first');
    expect(headerValue({ a: [] }, 'a')).to.equal('');
    expect(headerValue({ a: undefined }, 'a')).to.equal('');
    expect(headerValue({}, 'a')).to.equal('');
  });

  it('publicHeaders drops the credentials and unset headers, and nothing else', () => {
    const headers = {
      'x-fc-access-key-id': 'id',
      'x-fc-access-key-secret': 'secret',
      'x-fc-security-token': 'token',
      'x-fc-region': 'cn-hangzhou',
      'x-multi': ['a', 'b'],
      'x-unset': undefined,
    };
    expect(publicHeaders(headers)).to.deep.equal({ 'x-fc-region': 'cn-hangzhou', 'x-multi': ['a', 'b'] });
    expect([...SECRET_HEADERS].sort()).to.deep.equal([
      'x-fc-access-key-id',
      'x-fc-access-key-secret',
      'x-fc-security-token',
    ]);
  });

  it('normalizeHeaders lower-cases names, and leaves lower-case headers as they are', () => {
    const lower = { 'x-fc-region': 'r' };
    expect(normalizeHeaders(lower)).to.equal(lower);
    expect(normalizeHeaders({ 'X-FC-Region': 'r', 'x-other': 'o' })).to.deep.equal({
      'x-fc-region': 'r',
      'x-other': 'o',
    });
    expect(normalizeHeaders(undefined)).to.deep.equal({});
  });
  it('headerSeconds takes the first positive decimal, with or without the unit s', () => {
    const cases: [string | string[] | undefined, number | undefined][] = [
      ['3', 3],
      ['2.5', 2.5],
      ['.5', 0.5],
      ['3s', 3],
      [' 3 ', 3],
      // node joins a repeated header with ', '.
      ['1, 1', 1],
      ['1, 2', 1],
      [['4', '5'], 4],
      ['x, 0, -1, 7', 7],
      ['', undefined],
      [undefined, undefined],
      ['0', undefined],
      ['-3', undefined],
      ['3ms', undefined],
      ['1e3', undefined],
      ['0x10', undefined],
      ['Infinity', undefined],
      ['3 s', undefined],
      ['abc', undefined],
    ];
    for (const [value, seconds] of cases) {
      expect(headerSeconds({ t: value }, 't'), JSON.stringify(value)).to.equal(seconds);
    }
  });

  it('headerNumber takes the first non-negative decimal, without a unit', () => {
    expect(headerNumber({ m: '512' }, 'm')).to.equal(512);
    expect(headerNumber({ m: '512, 512' }, 'm')).to.equal(512);
    expect(headerNumber({ m: '0' }, 'm')).to.equal(0);
    expect(headerNumber({ m: 'lots, 128' }, 'm')).to.equal(128);
    for (const value of ['', '-1', '512MB', '1e3', 'Infinity'])
      expect(headerNumber({ m: value }, 'm')).to.equal(undefined);
  });
});
