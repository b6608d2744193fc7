'use strict';

/*
 * fc-kernel's validation engines as the repository's build holds them. The compiled engine is
 * another change's and may be absent from the build: `available` leaves it out then, and the
 * benchmark reports it as not measured rather than failing.
 */

const { dist, distHas } = require('./paths');

const COMPILED = ['src', 'validation', 'compiled', 'index.js'];

const ENGINES = {
  'class-validator': () => require(dist('src', 'index.js')).classValidatorEventValidator,
  compiled: () => require(dist(...COMPILED)).compiledEventValidator,
};

/** The engines the build holds, by name. */
function availableEngines() {
  return Object.keys(ENGINES).filter((name) => name !== 'compiled' || distHas(...COMPILED));
}

/**
 * The named engine (`EventValidator`: `compile(dto, options)` answers the per-event function);
 * `default` is none, for the kernel's own default.
 */
function loadEngine(name) {
  if (name === 'default') return undefined;
  const load = ENGINES[name];
  if (!load) throw new Error(`unknown engine "${name}"; one of: ${Object.keys(ENGINES).join(', ')}`);
  return load();
}

module.exports = { availableEngines, loadEngine };
