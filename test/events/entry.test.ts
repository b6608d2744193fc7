import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as events from '../../src/events';

const ENTRY = join(__dirname, '..', '..', 'src', 'events', 'index.js');

describe('fc-kernel/events entry', () => {
  it('loads on its own, before fc-kernel, and declares its classes', () => {
    const script = `const e = require(${JSON.stringify(ENTRY)}); process.stdout.write(typeof e.OssEvent + typeof e.fixtures.oss);`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.stderr).to.equal('');
    expect(run.stdout).to.equal('functionfunction');
  });

  it('exports every trigger event class and the builders', () => {
    expect(Object.keys(events)).to.include.members([
      'CloudEvent',
      'OssEvent',
      'TimerEvent',
      'MnsTopicEvent',
      'MnsQueueEvent',
      'SlsEvent',
      'CdnEvent',
      'RocketMqEvent',
      'RocketMqEventBatch',
      'KafkaEvent',
      'KafkaEventBatch',
      'ApiGatewayEvent',
      'ApiGatewayResponse',
      'fixtures',
    ]);
  });
});
