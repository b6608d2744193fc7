'use strict';

// Validation cost per event of the order sample's DTO, for the reference engine (class-transformer
// + class-validator) and the compiled engine, with 0, 100 and 1,000 extra DTO classes loaded in
// the process (class-validator scans its whole metadata store on every validation). Each count
// runs in a fresh child process so the store holds exactly what it says. Prints a table; no
// thresholds.
//
//   npm run build && node bench/validation.js [--quick] [--json=FILE]

const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const { dist } = require('./lib/paths');
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
  }));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nValidation per event, CreateOrder (5 items); ${os.cpus().length} × ${cpu}, Node ${process.version}`);
  console.log(`${quick ? 'quick: ' : ''}median of ${SETTINGS.rounds} rounds of ${SETTINGS.roundMs} ms per engine\n`);
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
  require('reflect-metadata');
  const { Type } = require('class-transformer');
  const cv = require('class-validator');
  loadExtraDtos(extras, cv, Type);
  const { classValidatorEventValidator } = require(dist('src', 'validation', 'ClassValidatorEventValidator.js'));
  const { compiledEventValidator } = require(dist('src', 'validation', 'compiled', 'index.js'));
  const { resolveValidationOptions } = require(dist('src', 'validation', 'options.js'));
  const { CreateOrder } = require(dist('samples', 'order-service', 'CreateOrder.js'));
  const options = resolveValidationOptions();
  const engines = {
    reference: classValidatorEventValidator.compile(CreateOrder, options),
    compiled: compiledEventValidator.compile(CreateOrder, options),
  };
  if (engines.compiled.describe().engine !== 'compiled') throw new Error('CreateOrder is not compiled');
  const result = { extras };
  for (const name of Object.keys(engines)) result[name] = { validRounds: [], invalidRounds: [] };
  for (const [kind, event] of [
    ['valid', VALID_ORDER],
    ['invalid', INVALID_ORDER],
  ]) {
    for (const name of Object.keys(engines)) await timeEvents(engines[name], event, settings.warmupMs);
    for (let round = 0; round < settings.rounds; round++) {
      // Alternate which engine goes first, so drift on a shared machine hits both alike.
      const order = round % 2 === 0 ? ['reference', 'compiled'] : ['compiled', 'reference'];
      for (const name of order)
        result[name][`${kind}Rounds`].push(await timeEvents(engines[name], event, settings.roundMs));
    }
  }
  for (const name of Object.keys(engines)) {
    result[name].valid = median(result[name].validRounds);
    result[name].invalid = median(result[name].invalidRounds);
  }
  process.send(result, () => process.exit(0));
}

/** Nanoseconds per event over about `ms` milliseconds; each event is its own parse of the JSON. */
async function timeEvents(validate, event, ms) {
  const json = JSON.stringify(event);
  const events = Array.from({ length: 64 }, () => JSON.parse(json));
  let count = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < events.length; i++) {
      try {
        await validate(events[i]);
      } catch {
        // An invalid event is answered with a ValidationError: that is the work measured.
      }
    }
    count += events.length;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / count;
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
