'use strict';

/*
 * The contenders: the same work (the order sample's `POST /invoke`, validated, with FC's marker
 * lines, `x-fc-status` and error JSON) done by each way of writing an FC function. Each is a
 * server that listens on FC_CUSTOM_LISTEN_PORT, as FC starts one, and knows nothing of the
 * benchmark. `validation` names its validation as the in-process measurement calls it.
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
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
/** Where the benchmark bundles the order function with `fc-kernel build` (see `buildFcKernelBundle`). */
const FC_KERNEL_BUNDLE = path.join(ROOT, 'bench', 'dist', 'fc-kernel-bundle');
const fcKernelBundle = () => path.join(FC_KERNEL_BUNDLE, 'index.js');

/**
 * Bundles the order function (`dist/bench/fixtures/OrderFunction.js`) with the repository's own
 * `fc-kernel build`, as a user's image gets it. Answers why it could not, or `undefined`.
 */
function buildFcKernelBundle() {
  try {
    execFileSync(
      process.execPath,
      [
        dist('src', 'cli', 'main.js'),
        'build',
        dist('bench', 'fixtures', 'OrderFunction.js'),
        '--out',
        FC_KERNEL_BUNDLE,
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
    );
    return undefined;
  } catch (error) {
    return `fc-kernel build failed: ${
      String(error.stderr || error.message)
        .trim()
        .split('\n')[0]
    }`;
  }
}

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
      stack: 'the order sample from dist/, its default (compiled) validation engine',
      script: fcKernelMain,
      args: ['default'],
      validation: 'fc-kernel compiled',
    },
    {
      name: 'fc-kernel-bundle',
      label: 'fc-kernel, bundled',
      stack: 'the order sample as `fc-kernel build` bundles it for an image, default engine',
      script: () => fcKernelBundle(),
      args: [],
      validation: 'fc-kernel compiled',
      bundle: true,
    },
    {
      name: 'fc-kernel-class-validator',
      label: 'fc-kernel, class-validator engine',
      stack: 'the order sample from dist/, the class-validator engine',
      script: fcKernelMain,
      args: ['class-validator'],
      validation: 'fc-kernel class-validator',
    },
  ];
}

/**
 * The contenders to run: those named (the floor always), the bundled one built here (left out
 * when that fails). Answers them and the names left out, with why.
 */
function selectContenders(names) {
  const selected = [];
  const skipped = [];
  let bundleProblem = null;
  for (const c of allContenders()) {
    if (names && c.name !== 'floor' && !names.includes(c.name)) continue;
    if (c.bundle) {
      if (bundleProblem === null) bundleProblem = buildFcKernelBundle() ?? '';
      if (bundleProblem) {
        skipped.push({ name: c.name, why: bundleProblem });
        continue;
      }
    }
    selected.push(c);
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
