import { expect } from 'chai';
import { headerValue, normalizeHeaders, publicHeaders, SECRET_HEADERS } from '../../src/context/headers';

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
});
