import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger';
import type { LogLevel } from '../../src/config';

/** A logger whose JSON lines are kept in memory for assertions. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly logger: Logger;

  constructor(level: LogLevel = 'trace') {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
        done();
      },
    });
    this.logger = createLogger({ level, json: true, destination: sink });
  }

  /** Every line as parsed JSON. */
  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  text(): string {
    return this.lines.join('\n');
  }

  find(message: RegExp): Record<string, unknown>[] {
    return this.entries().filter((e) => typeof e.msg === 'string' && message.test(e.msg));
  }
}
