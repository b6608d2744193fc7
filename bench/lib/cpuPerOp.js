'use strict';

/**
 * CPU microseconds (user + system, of this process) per call of `op`, called back to back for
 * about `ms` milliseconds. CPU time rather than wall time, so that other processes competing for
 * the CPU count against no side. An answer that is a promise is awaited; any other is not, since
 * awaiting would add a microtask turn that the measured code does not pay for itself.
 */
async function cpuMicrosPerOp(op, ms) {
  let count = 0;
  const cpuStart = process.cpuUsage();
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 64; i++) {
      const answer = op();
      if (answer !== null && typeof answer === 'object' && typeof answer.then === 'function') await answer;
    }
    count += 64;
  }
  const cpu = process.cpuUsage(cpuStart);
  return (cpu.user + cpu.system) / count;
}

module.exports = { cpuMicrosPerOp };
