'use strict';

/*
 * One fixture function served by fc-kernel exactly as `serve()` runs it in FC, on a free port that
 * is sent to the benchmark over IPC. Usage: `node framework.js <fixture>`.
 */

const { dist } = require('../lib/paths');
const { serve } = require(dist('src', 'index.js'));
const { FIXTURES } = require(dist('bench', 'fixtures', 'functions.js'));
const { reportPort } = require('../lib/serverChild');

const name = process.argv[2] ?? 'echo';
const fn = FIXTURES[name];
if (!fn) throw new Error(`unknown fixture "${name}"; one of: ${Object.keys(FIXTURES).join(', ')}`);

serve({ functions: [fn], port: 0, host: '127.0.0.1', handleSignals: false }).then((server) => reportPort(server.port));
