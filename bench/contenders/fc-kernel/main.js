'use strict';

/*
 * fc-kernel serving the order sample's function as `serve()` runs it in FC, from the repository's
 * build (`dist/`), so that the benchmark measures whatever the build holds. Usage:
 * `node main.js <default|class-validator|compiled>`: the validation engine (`default`: the kernel's
 * own), passed explicitly so that the figures say which engine they are of.
 */

const { loadEngine } = require('../../lib/fcKernelEngines');
const { dist } = require('../../lib/paths');
const { serve } = require(dist('src', 'index.js'));
const { OrderFunction } = require(dist('bench', 'fixtures', 'OrderFunction.js'));

const validator = loadEngine(process.argv[2] ?? 'default');
serve({ functions: [OrderFunction], validation: validator ? { validator } : undefined });
