/** FC's marker lines among `lines` (`FC Invoke Start RequestId: ...`). */
export function markersIn(lines: readonly string[]): string[] {
  return lines.filter((line) => line.startsWith('FC '));
}

/** The ordinary log lines (not markers) of one request id among `lines`. */
export function linesOf(lines: readonly string[], requestId: string): string[] {
  return lines.filter((line) => !line.startsWith('FC ') && line.split(' ')[1] === requestId);
}
