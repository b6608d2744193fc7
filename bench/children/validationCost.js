'use strict';

/*
 * What validating one order costs each contender's validation, in process, with `extra` other
 * DTO classes loaded first (see lib/extraDtos.js). Usage: `node validationCost.js <extra>
 * <warmUpMs> <roundMs> <rounds>`; answers, over IPC, microseconds of CPU per event for every round of every
 * engine. Each engine validates the order sample's `CreateOrder` the way its contender does:
 *
 * - hand-written: the floor's checks;
 * - class-validator: `plainToInstance` + `validate`, as the Express and Fastify contenders call them;
 * - ValidationPipe: the NestJS contender's pipe, `transform` with the body's metadata;
 * - fc-kernel's engines: the per-event function `compile` answers at boot, called as the kernel
 *   calls it, with the order already parsed.
 *
 * The peers' code is compiled against bench/node_modules, fc-kernel's against the root's copies
 * of class-validator and class-transformer; the extra classes are declared with both.
 */

const { availableEngines, loadEngine } = require('../lib/fcKernelEngines');
const { cpuMicrosPerOp } = require('../lib/cpuPerOp');
const { defineExtraDtos } = require('../lib/extraDtos');
const { benchDist, dist, rootRequire } = require('../lib/paths');
const { ORDER_BODY } = require('../lib/payloads');

const [extra, warmUpMs, roundMs, rounds] = process.argv.slice(2).map(Number);

// The Reflect polyfill before any decorated class, as in every contender.
require('reflect-metadata');
defineExtraDtos(extra, [
  { validator: require('class-validator'), transformer: require('class-transformer') },
  { validator: rootRequire('class-validator'), transformer: rootRequire('class-transformer') },
]);

function peerEngines() {
  const contenders = (...segments) => benchDist('bench', 'contenders', ...segments);
  const { checkOrder } = require(contenders('floor', 'checkOrder.js'));
  const { toValidOrder } = require(contenders('shared', 'validateOrder.js'));
  const { createValidationPipe } = require(contenders('nest', 'createValidationPipe.js'));
  const { CreateOrder } = require(benchDist('samples', 'order-service', 'CreateOrder.js'));
  const pipe = createValidationPipe();
  const metadata = { type: 'body', metatype: CreateOrder, data: undefined };
  return {
    'hand-written': checkOrder,
    'class-validator': toValidOrder,
    ValidationPipe: (plain) => pipe.transform(plain, metadata),
  };
}

function fcKernelEngines() {
  const { CreateOrder } = require(dist('samples', 'order-service', 'CreateOrder.js'));
  const { DEFAULT_VALIDATION_OPTIONS } = require(dist('src', 'index.js'));
  const engines = {};
  for (const name of availableEngines()) {
    engines[`fc-kernel ${name}`] = loadEngine(name).compile(CreateOrder, DEFAULT_VALIDATION_OPTIONS);
  }
  return engines;
}

/** Each engine must accept the order and answer an instance with its items, or nothing is measured. */
async function assertValidates(name, validate, plain) {
  const order = await validate(plain);
  if (!order || !Array.isArray(order.items) || order.items.length !== plain.items.length) {
    throw new Error(`${name} did not answer the validated order`);
  }
}

/** Microseconds of CPU per call of `validate` over `ms` milliseconds, cycling through `events`. */
function microsPerEvent(validate, events, ms) {
  let next = 0;
  return cpuMicrosPerOp(() => validate(events[next++ % events.length]), ms);
}

async function main() {
  const engines = { ...peerEngines(), ...fcKernelEngines() };
  const events = Array.from({ length: 64 }, () => JSON.parse(ORDER_BODY));
  const names = Object.keys(engines);
  for (const name of names) await assertValidates(name, engines[name], JSON.parse(ORDER_BODY));
  // A discarded warm-up of each engine first: class-validator's first few hundred milliseconds run
  // several times slower than what follows, until V8 has optimized its paths.
  for (const name of names) await microsPerEvent(engines[name], events, warmUpMs);
  const out = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const name of order) out[name].push(await microsPerEvent(engines[name], events, roundMs));
  }
  process.send(out, () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
