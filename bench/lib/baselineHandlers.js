'use strict';

/*
 * The work each scenario's handler does, written by hand with no framework: the baseline server
 * and the in-process dispatch baseline both run these. Each takes the raw body and answers the
 * response body, or throws. Only the order handler loads class-transformer and class-validator,
 * so that the bare server's cold start stays bare.
 */

const { setTimeout: sleep } = require('node:timers/promises');

function echo(body) {
  const event = JSON.parse(body.toString('utf8'));
  return JSON.stringify({ id: event.id });
}

async function slow(body) {
  const event = JSON.parse(body.toString('utf8'));
  await sleep(5);
  return JSON.stringify({ id: event.id });
}

function orderHandler() {
  // class-transformer's @Type reads decorator metadata: the polyfill goes first, as in any app.
  const { dist, rootRequire } = require('./paths');
  // The root's copies: the sample's DTO in dist/ is decorated with them.
  rootRequire('reflect-metadata');
  const { plainToInstance } = rootRequire('class-transformer');
  const { validate } = rootRequire('class-validator');
  const { CreateOrder } = require(dist('samples', 'order-service', 'CreateOrder.js'));
  // The sample's PricingService module also loads fc-kernel (for `@injectable`): memory at start,
  // nothing per request.
  const { PricingService } = require(dist('samples', 'order-service', 'PricingService.js'));
  const { acceptOrder } = require(dist('bench', 'fixtures', 'acceptOrder.js'));

  // fc-kernel's default validation settings (src/validation/options.ts), so both sides validate alike.
  const transformOptions = { enableImplicitConversion: false };
  const validatorOptions = {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    skipMissingProperties: false,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
  };
  const pricing = new PricingService();

  return async function order(body) {
    const instance = plainToInstance(CreateOrder, JSON.parse(body.toString('utf8')), transformOptions);
    const errors = await validate(instance, validatorOptions);
    if (errors.length > 0) throw new Error(`invalid order: ${errors.map((e) => e.property).join(', ')}`);
    return JSON.stringify(acceptOrder(instance, pricing));
  };
}

const HANDLERS = {
  echo: () => echo,
  slow: () => slow,
  order: () => orderHandler(),
};

/** The named handler, with what it needs loaded. */
function baselineHandler(name) {
  const load = HANDLERS[name];
  if (!load) throw new Error(`unknown handler "${name}"; one of: ${Object.keys(HANDLERS).join(', ')}`);
  return load();
}

module.exports = { baselineHandler, BASELINE_HANDLERS: Object.keys(HANDLERS) };
