import { expect } from 'chai';
import { IsString } from 'class-validator';
import { createKernel, Event, FcFunction, OnInvoke } from '../../src';

class Ping {
  @IsString()
  text!: string;
}

@FcFunction({ name: 'ping' })
class PingFunction {
  @OnInvoke()
  handle(@Event() ping: Ping): string {
    return `pong ${ping.text}`;
  }
}

describe('kernel smoke', () => {
  it('answers an invocation through dispatch', async () => {
    const kernel = createKernel({ functions: [PingFunction], logSink: () => undefined });
    const res = await kernel.dispatch({ method: 'POST', path: '/invoke', body: '{"text":"hi"}' });
    expect(res.statusCode).to.equal(200);
    expect(res.headers['x-fc-status']).to.equal('200');
    expect(res.body).to.equal('pong hi');
    await kernel.close();
  });
});
