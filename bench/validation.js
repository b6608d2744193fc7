'use strict';

// Validation cost per event of the order sample's DTO, for the reference engine (class-transformer
// + class-validator) and the compiled engine, with 0, 100 and 1,000 extra DTO classes loaded in
// the process (class-validator scans its whole metadata store on every validation), and the cost
// of a whole `kernel.dispatch` of the order with each engine. Each count runs in a fresh child
// process so the store holds exactly what it says. CPU time per event, so other processes on the
// machine count against neither engine. Prints a table; no thresholds.
//
//   npm run build && node bench/validation.js [--quick] [--json=FILE]

const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const { dist, rootRequire } = require('./lib/paths');
const { cpuMicrosPerOp } = require('./lib/cpuPerOp');
const { median } = require('./lib/stats');

const EXTRA_COUNTS = [0, 100, 1000];
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonOut = args.find((a) => a.startsWith('--json='))?.slice('--json='.length);

const SETTINGS = quick ? { rounds: 3, roundMs: 60, warmupMs: 150 } : { rounds: 9, roundMs: 250, warmupMs: 600 };

const VALID_ORDER = {
  orderId: 'o-1',
  customerEmail: 'buyer@example.com',
  items: Array.from({ length: 5 }, (_, i) => ({ sku: `SKU-${i}`, quantity: i + 1, unitPrice: 2.5 })),
  couponCode: 'SPRING',
};
const INVALID_ORDER = {
  orderId: '',
  customerEmail: 'not-an-email',
  items: [{ sku: 'A', quantity: 0, unitPrice: -1 }, { sku: 7 }, 'x', ...VALID_ORDER.items.slice(0, 2)],
  extra: true,
};

if (process.argv[2] === '--child') {
  runChild(Number(process.argv[3]), JSON.parse(process.argv[4]));
} else {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

async function main() {
  const results = [];
  for (const extras of EXTRA_COUNTS) {
    results.push(await measureInChild(extras));
    console.log(`  measured with ${extras} extra DTO classes`);
  }
  const base = results[0];
  const rows = results.map((r) => ({
    extras: r.extras,
    referenceValidUs: r.reference.valid / 1000,
    compiledValidUs: r.compiled.valid / 1000,
    speedupValid: r.reference.valid / r.compiled.valid,
    referenceInvalidUs: r.reference.invalid / 1000,
    compiledInvalidUs: r.compiled.invalid / 1000,
    speedupInvalid: r.reference.invalid / r.compiled.invalid,
    referenceGrowth: r.reference.valid / base.reference.valid,
    compiledGrowth: r.compiled.valid / base.compiled.valid,
    referenceDispatchUs: r.reference.dispatch / 1000,
    compiledDispatchUs: r.compiled.dispatch / 1000,
    dispatchGrowthReference: r.reference.dispatch / base.reference.dispatch,
    dispatchGrowthCompiled: r.compiled.dispatch / base.compiled.dispatch,
  }));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nValidation per event, CreateOrder (5 items); ${os.cpus().length} × ${cpu}, Node ${process.version}`);
  console.log(
    `${quick ? 'quick: ' : ''}CPU µs per event, median of ${SETTINGS.rounds} rounds of ${SETTINGS.roundMs} ms per engine\n`,
  );
  const header = [
    'extra DTOs',
    'reference valid µs',
    'compiled valid µs',
    'gain',
    'reference invalid µs',
    'compiled invalid µs',
    'gain',
    'reference ÷ its 0',
    'compiled ÷ its 0',
    'dispatch ref µs',
    'dispatch compiled µs',
    'ref ÷ its 0',
    'compiled ÷ its 0',
  ];
  const table = rows.map((r) => [
    String(r.extras),
    r.referenceValidUs.toFixed(1),
    r.compiledValidUs.toFixed(2),
    `${r.speedupValid.toFixed(1)}×`,
    r.referenceInvalidUs.toFixed(1),
    r.compiledInvalidUs.toFixed(2),
    `${r.speedupInvalid.toFixed(1)}×`,
    `${r.referenceGrowth.toFixed(2)}×`,
    `${r.compiledGrowth.toFixed(2)}×`,
    r.referenceDispatchUs.toFixed(1),
    r.compiledDispatchUs.toFixed(1),
    `${r.dispatchGrowthReference.toFixed(2)}×`,
    `${r.dispatchGrowthCompiled.toFixed(2)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`| ${widths.map((w) => '-'.repeat(w - 1) + ':').join(' | ')} |`);
  for (const row of table) console.log(line(row));
  if (jsonOut) {
    fs.writeFileSync(
      jsonOut,
      JSON.stringify(
        { machine: { cpu, cores: os.cpus().length, node: process.version }, settings: SETTINGS, rows },
        null,
        2,
      ),
    );
  }
}

function measureInChild(extras) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child', String(extras), JSON.stringify(SETTINGS)], { stdio: 'inherit' });
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`child for ${extras} extra DTOs exited with ${code}`)));
  });
}

async function runChild(extras, settings) {
  // The root's copies, as fc-kernel's build loads them: bench/node_modules holds the peers' own.
  rootRequire('reflect-metadata');
  const { Type } = rootRequire('class-transformer');
  const cv = rootRequire('class-validator');
  loadExtraDtos(extras, cv, Type);
  const { createKernel } = require(dist('src', 'index.js'));
  const { classValidatorEventValidator } = require(dist('src', 'validation', 'ClassValidatorEventValidator.js'));
  const { compiledEventValidator } = require(dist('src', 'validation', 'compiled', 'index.js'));
  const { resolveValidationOptions } = require(dist('src', 'validation', 'options.js'));
  const { CreateOrder } = require(dist('samples', 'order-service', 'CreateOrder.js'));
  const { FIXTURES } = require(dist('bench', 'fixtures', 'functions.js'));
  const { FC_HEADERS } = require('./lib/payloads');
  const options = resolveValidationOptions();
  const validators = { reference: classValidatorEventValidator, compiled: compiledEventValidator };
  const engines = {};
  for (const [name, validator] of Object.entries(validators)) {
    const validate = validator.compile(CreateOrder, options);
    const kernel = createKernel({ functions: [FIXTURES.order], logSink: () => {}, env: {}, validation: { validator } });
    const request = {
      method: 'POST',
      path: '/invoke',
      headers: FC_HEADERS,
      body: Buffer.from(JSON.stringify(VALID_ORDER)),
    };
    engines[name] = {
      valid: eventsOf(validate, VALID_ORDER),
      invalid: eventsOf(validate, INVALID_ORDER),
      dispatch: async () => {
        const answer = await kernel.dispatch(request);
        if (answer.statusCode !== 200) throw new Error(`dispatch answered ${answer.statusCode}: ${answer.body}`);
      },
    };
  }
  if (compiledEventValidator.compile(CreateOrder, options).describe().engine !== 'compiled') {
    throw new Error('CreateOrder is not compiled');
  }
  const result = { extras };
  for (const name of Object.keys(engines)) result[name] = {};
  for (const kind of ['valid', 'invalid', 'dispatch']) {
    const rounds = { reference: [], compiled: [] };
    for (const name of Object.keys(engines)) await cpuNanosPerOp(engines[name][kind], settings.warmupMs);
    for (let round = 0; round < settings.rounds; round++) {
      // Alternate which engine goes first, so drift on a shared machine hits both alike.
      const order = round % 2 === 0 ? ['reference', 'compiled'] : ['compiled', 'reference'];
      for (const name of order) rounds[name].push(await cpuNanosPerOp(engines[name][kind], settings.roundMs));
    }
    for (const name of Object.keys(engines)) result[name][kind] = median(rounds[name]);
  }
  process.send(result, () => process.exit(0));
}

/** One event after another, each its own parse of the JSON (as the decoder hands them). */
function eventsOf(validate, event) {
  const json = JSON.stringify(event);
  const events = Array.from({ length: 64 }, () => JSON.parse(json));
  let next = 0;
  return async () => {
    try {
      await validate(events[next++ & 63]);
    } catch {
      // An invalid event is answered with a ValidationError: that is the work measured.
    }
  };
}

/** CPU nanoseconds per call of `op`, run back to back for about `ms` milliseconds. */
async function cpuNanosPerOp(op, ms) {
  return 1000 * (await cpuMicrosPerOp(op, ms));
}

/**
 * `count` DTO classes as an application would have them, each with four decorated properties,
 * every fourth with a nested class of its own (so the store holds `count * 1.25` classes).
 */
function loadExtraDtos(count, cv, Type) {
  const decorate = (cls, property, design, decorators) => {
    Reflect.defineMetadata('design:type', design, cls.prototype, property);
    for (const d of decorators.reverse()) d(cls.prototype, property);
  };
  for (let i = 0; i < count; i++) {
    const dto = { [`ExtraDto${i}`]: class {} }[`ExtraDto${i}`];
    decorate(dto, 'id', String, [cv.IsString(), cv.IsNotEmpty()]);
    decorate(dto, 'count', Number, [cv.IsInt(), cv.Min(0)]);
    decorate(dto, 'email', String, [cv.IsOptional(), cv.IsEmail()]);
    if (i % 4 === 0) {
      const nested = { [`ExtraNested${i}`]: class {} }[`ExtraNested${i}`];
      decorate(nested, 'name', String, [cv.IsString()]);
      decorate(dto, 'lines', Array, [cv.ValidateNested({ each: true }), Type(() => nested)]);
    } else {
      decorate(dto, 'tags', Array, [cv.IsString({ each: true })]);
    }
  }
}
