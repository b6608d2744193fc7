import { expect } from 'chai';
import { createKernel, type Kernel } from '../../src';
import { Hello } from '../../samples/hello/Hello';

describe('samples/hello in-process', () => {
  let kernel: Kernel;
  beforeEach(() => {
    kernel = createKernel({ functions: [Hello], logSink: () => undefined });
  });
  afterEach(() => kernel.close());

  async function greet(body: string): Promise<string> {
    const res = await kernel.dispatch({ method: 'POST', path: '/invoke', body });
    expect(res.statusCode).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/plain; charset=utf-8');
    return String(res.body);
  }

  it('answers Hello, <name>!', async () => {
    expect(await greet('Ada')).to.equal('Hello, Ada!');
    expect(await greet('Grace Hopper')).to.equal('Hello, Grace Hopper!');
  });

  it('reads the body as UTF-8 text and trims it', async () => {
    expect(await greet('  李雷\n')).to.equal('Hello, 李雷!');
  });

  it('greets the world when the body is empty', async () => {
    expect(await greet('')).to.equal('Hello, world!');
  });

  it('is named hello, as in its s.yaml', () => {
    expect(kernel.functionNames).to.deep.equal(['hello']);
  });
});
