'use strict';

const http = require('node:http');

/** One `POST /invoke` on a fresh connection; resolves with status, `x-fc-status` and body. */
function invoke(port, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: '/invoke', headers, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            statusCode: res.statusCode,
            fcStatus: res.headers['x-fc-status'],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

module.exports = { invoke };
