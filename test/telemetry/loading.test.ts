import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const DIST = join(__dirname, '..', '..');

/**
 * Creates a kernel with `observers: [telemetry()]` in a fresh process, with `env`, answers one
 * invocation, and lists the modules of `require.cache` from OpenTelemetry and from the layer.
 */
function loadedWith(env: Record<string, string>, withLayer: boolean): { otel: number; layer: number; status: number } {
  const script = `
    const { createKernel } = require(${JSON.stringify(join(DIST, 'src', 'index.js'))});
    const { Hello } = require(${JSON.stringify(join(__dirname, 'fixtures', 'Hello.js'))});
    const observers = ${withLayer} ? [require(${JSON.stringify(join(DIST, 'src', 'telemetry', 'index.js'))}).telemetry()] : undefined;
    const kernel = createKernel({ functions: [Hello], observers, env: ${JSON.stringify(env)}, logSink: () => {} });
    kernel.dispatch({ method: 'POST', path: '/invoke', headers: {}, body: '' }).then(async (answer) => {
      const modules = Object.keys(require.cache);
      process.stdout.write(JSON.stringify({
        otel: modules.filter((m) => m.includes('@opentelemetry')).length,
        layer: modules.filter((m) => m.includes(${JSON.stringify(join('src', 'telemetry'))})).length,
        status: answer.statusCode,
      }));
      await kernel.preStop();
    });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: {} })) as {
    otel: number;
    layer: number;
    status: number;
  };
}

describe('telemetry: loaded only when switched on', () => {
  it('a kernel without the layer loads neither the layer nor OpenTelemetry', () => {
    expect(loadedWith({}, false)).to.deep.equal({ otel: 0, layer: 0, status: 200 });
  });

  it('the layer with nothing switched on loads no module of OpenTelemetry', () => {
    const loaded = loadedWith({ OTEL_TRACES_EXPORTER: 'none' }, true);
    expect(loaded.layer, 'the layer itself is loaded').to.be.greaterThan(0);
    expect(loaded).to.deep.include({ otel: 0, status: 200 });
  });

  it('OTEL_TRACES_EXPORTER=otlp loads it at boot', () => {
    const loaded = loadedWith(
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
      true,
    );
    expect(loaded.otel).to.be.greaterThan(0);
    expect(loaded.status).to.equal(200);
  });
});
