/** Where log lines go. One call per line, without the trailing newline. */
export type LogSink = (line: string) => void;

/** The default sink: stdout, which FC collects into the function's log store. */
export const stdoutSink: LogSink = (line) => {
  process.stdout.write(line + '\n');
};
