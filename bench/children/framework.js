'use strict';

/*
 * One fixture function served by fc-kernel exactly as `serve()` runs it in FC, on a free port that
 * is sent to the benchmark over IPC. Usage: `node framework.js <fixture> [<build>]`, `<build>` the
 * `dist/` of another build of the repository to serve it from (another commit's, to compare).
 */

const path = require('node:path');
const { dist } = require('../lib/paths');

const build = process.argv[3];
const from = (...segments) => (build ? path.join(path.resolve(build), ...segments) : dist(...segments));
const { serve } = require(from('src', 'index.js'));
const { FIXTURES } = require(from('bench', 'fixtures', 'functions.js'));
const { reportPort } = require('../lib/serverChild');

const name = process.argv[2] ?? 'echo';
const fn = FIXTURES[name];
if (!fn) throw new Error(`unknown fixture "${name}"; one of: ${Object.keys(FIXTURES).join(', ')}`);

serve({ functions: [fn], port: 0, host: '127.0.0.1', handleSignals: false }).then((server) => reportPort(server.port));
