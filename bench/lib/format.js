'use strict';

/** Figures as the tables show them. */

const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => n.toFixed(2);
const us = (n) => n.toFixed(1);
const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
/** Microseconds from a fraction of one to thousands, with the digits that mean something. */
const micros = (n) => (n < 1 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : int(n));
/** `a ÷ b`; two decimals while they matter, whole numbers once the ratio is large. */
const ratio = (a, b) => {
  const r = a / b;
  return `${r >= 10 ? int(r) : r.toFixed(2)}×`;
};

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

module.exports = { int, ms, us, mb, micros, ratio, table };
