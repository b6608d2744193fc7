/** stderr writes collected instead of printed, until `restore()`. */
export function captureStderr(): { written: string[]; restore(): void } {
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  return { written, restore: () => (process.stderr.write = write) };
}
