'use strict';

/*
 * The contenders: the same work (the order sample's `POST /invoke`, validated, with FC's marker
 * lines, `x-fc-status` and error JSON) done by each way of writing an FC function. Each is a
 * server that listens on FC_CUSTOM_LISTEN_PORT, as FC starts one, and knows nothing of the
 * benchmark. `validation` names its validation as the in-process measurement calls it.
 */

const fs = require('node:fs');
const path = require('node:path');
const { availableEngines } = require('./fcKernelEngines');
const { benchDist, dist, ROOT } = require('./paths');

function versionOf(pkg) {
  const file = path.join(ROOT, 'bench', 'node_modules', pkg, 'package.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).version : '?';
}

const peer =
  (...segments) =>
  () =>
    benchDist('bench', 'contenders', ...segments);
const fcKernelMain = () => path.join(__dirname, '..', 'contenders', 'fc-kernel', 'main.js');

/** Every contender, the floor first: the figures of the others are ratios to its own. */
function allContenders() {
  const classValidator = `class-validator ${versionOf('class-validator')}`;
  return [
    {
      name: 'floor',
      label: 'bare node:http (the floor)',
      stack: 'node:http, hand-written checks',
      script: peer('floor', 'main.js'),
      args: [],
      validation: 'hand-written',
    },
    {
      name: 'express',
      label: "FC's Express sample",
      stack: `Express ${versionOf('express')}, class-transformer + ${classValidator}`,
      script: peer('express', 'main.js'),
      args: [],
      validation: 'class-validator',
    },
    {
      name: 'fastify',
      label: 'Fastify + class-validator',
      stack: `Fastify ${versionOf('fastify')}, class-transformer + ${classValidator}`,
      script: peer('fastify', 'main.js'),
      args: [],
      validation: 'class-validator',
    },
    {
      name: 'nest',
      label: 'NestJS + ValidationPipe',
      stack: `NestJS ${versionOf('@nestjs/core')} on Fastify, ValidationPipe, ${classValidator}`,
      script: peer('nest', 'main.js'),
      args: [],
      validation: 'ValidationPipe',
    },
    {
      name: 'fc-kernel',
      label: 'fc-kernel',
      stack: 'the order sample, class-validator engine',
      script: fcKernelMain,
      args: ['class-validator'],
      validation: 'fc-kernel class-validator',
    },
    {
      name: 'fc-kernel-compiled',
      label: 'fc-kernel, compiled engine',
      stack: 'the order sample, compiled validation engine',
      script: fcKernelMain,
      args: ['compiled'],
      validation: 'fc-kernel compiled',
      engine: 'compiled',
    },
  ];
}

/**
 * The contenders to run: those named (the floor always), less an fc-kernel engine the build does
 * not have. Answers them and the names left out, with why.
 */
function selectContenders(names) {
  const engines = availableEngines();
  const selected = [];
  const skipped = [];
  for (const c of allContenders()) {
    if (names && c.name !== 'floor' && !names.includes(c.name)) continue;
    if (c.engine && !engines.includes(c.engine)) {
      skipped.push({ name: c.name, why: `dist/ has no ${c.engine} engine (dist/src/validation/${c.engine})` });
    } else {
      selected.push(c);
    }
  }
  return { selected, skipped };
}

/** The order sample exactly as it ships (its repository and log line included): cold start only. */
const ORDER_SAMPLE = {
  name: 'order-sample',
  label: 'order-service sample as shipped',
  stack: 'dist/samples/order-service/main.js',
  script: () => dist('samples', 'order-service', 'main.js'),
  args: [],
};

module.exports = { allContenders, selectContenders, ORDER_SAMPLE, CONTENDER_NAMES: allContenders().map((c) => c.name) };
