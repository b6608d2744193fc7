import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_MAIN, PROJECT_ROOT, fixture, servingPort, startProcess, stopClis } from './helpers';

/** Whether a process with this pid is still there. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('fc-kernel serve under npx (npm exec → sh -c → node)', () => {
  let project: string;
  let servingPid: number | undefined;

  before(() => {
    // A project with this fc-kernel installed, as npm links it: npx finds its bin without the registry.
    project = mkdtempSync(join(tmpdir(), 'fc-kernel-npx-'));
    writeFileSync(join(project, 'package.json'), '{"name":"npx-project","version":"1.0.0","private":true}');
    mkdirSync(join(project, 'node_modules/.bin'), { recursive: true });
    symlinkSync(PROJECT_ROOT, join(project, 'node_modules/fc-kernel'));
    symlinkSync(CLI_MAIN, join(project, 'node_modules/.bin/fc-kernel'));
  });

  afterEach(async () => {
    // The server the test could not stop would outlive it: end it by its pid.
    if (servingPid !== undefined && alive(servingPid)) process.kill(servingPid, 'SIGKILL');
    servingPid = undefined;
    await stopClis();
  });

  after(() => rmSync(project, { recursive: true, force: true }));

  it('SIGTERM to npx runs the pre-stop and ends the server, though the shell between them dies', async () => {
    const run = startProcess(
      'npx',
      ['--no-install', 'fc-kernel', 'serve', join(PROJECT_ROOT, fixture('stopsGracefully'))],
      {
        cwd: project,
        env: { FC_CUSTOM_LISTEN_PORT: '0' },
      },
    );
    const { port } = await servingPort(run);
    const answer = await fetch(`http://127.0.0.1:${port}/invoke`, {
      method: 'POST',
      headers: { 'x-fc-request-id': 'npx-1' },
    });
    servingPid = Number(await answer.text());
    expect(servingPid).to.not.equal(run.child.pid);

    run.child.kill('SIGTERM');
    // stdout closes when its last writer, the server's process, has exited.
    const ended = await Promise.race([
      run.exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 10_000)),
    ]);
    expect(ended, `the server outlived npx:\n${run.stdout()}`).to.equal(true);
    // Gone, not only silent: nothing listens on its port any more.
    const refused = await fetch(`http://127.0.0.1:${port}/`).then(
      () => false,
      () => true,
    );
    expect(refused).to.equal(true);
    expect(run.stdout()).to.match(/\[INFO\] pre-stop ran\nFC PreStop End RequestId: /);
  });
});
