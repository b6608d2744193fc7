'use strict';

/*
 * The server side of the IPC protocol with the benchmark: report the port, answer the CPU time
 * used so far and the memory held, exit when asked. A clean exit (rather than a signal) is what lets
 * `node --cpu-prof` write its profile.
 */
function reportPort(port) {
  process.on('message', (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
    // After a full collection when the child runs with --expose-gc: what is still held.
    if (message === 'heap') {
      globalThis.gc?.();
      process.send({ heap: process.memoryUsage() });
    }
    if (message === 'exit') process.exit(0);
  });
  process.send({ port });
}

module.exports = { reportPort };
