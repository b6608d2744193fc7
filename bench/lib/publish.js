'use strict';

const fs = require('node:fs');
const path = require('node:path');
const prettier = require('prettier');
const { ROOT } = require('./paths');
const { machineLine, summaryLegend, summaryTable } = require('./summaryTable');

const README = path.join(ROOT, 'README.md');
const START = '<!-- bench:summary:start -->';
const END = '<!-- bench:summary:end -->';

/** Markdown or JSON as the repository's prettier config formats it, so that `format:check` passes. */
async function formatted(text, file) {
  return prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
}

/** The summary as printed and as the README shows it: the machine, the table, the legend. */
function summaryBlock(report) {
  return [
    `Measured on ${machineLine(report.machine)}.`,
    '',
    summaryTable(report),
    '',
    summaryLegend(report.settings),
  ].join('\n');
}

/** Replaces the README's summary (between its two markers) with this run's. */
async function updateReadme(report) {
  const text = fs.readFileSync(README, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} section to update`);
  const updated = `${text.slice(0, start + START.length)}\n\n${summaryBlock(report)}\n\n${text.slice(end)}`;
  fs.writeFileSync(README, await formatted(updated, README));
}

/** Writes `<dir>/results.md` and `<dir>/results.json`; answers their paths. */
async function writeResults(report, markdown, dir) {
  const md = path.join(dir, 'results.md');
  const json = path.join(dir, 'results.json');
  fs.writeFileSync(md, await formatted(markdown, md));
  fs.writeFileSync(json, await formatted(JSON.stringify(report), json));
  return [md, json];
}

module.exports = { formatted, summaryBlock, updateReadme, writeResults, README };
