import type { NextFunction, Request, Response } from 'express';
import { bodyForStatus } from './nest-errors';
import type { FaultRule } from './types';

interface ActiveRule {
  rule: FaultRule;
  /** Requests left; Infinity until cleared. */
  remaining: number;
}

/**
 * Injected failures for the API routes, so a client's timeouts, retries and
 * error mapping can be tested against real sockets. Rules are tried in the
 * order added; the first that matches is used and counts down.
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  add(rule: FaultRule): void {
    const { times, delayMs, status } = rule;
    if (times !== undefined && !(Number.isInteger(times) && times > 0)) {
      throw new Error('fail: times must be a positive integer');
    }
    if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
      throw new Error('fail: delayMs must be a non-negative number');
    }
    if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
      throw new Error('fail: status must be an HTTP status between 200 and 599');
    }
    this.rules.push({ rule: { ...rule }, remaining: times ?? Infinity });
  }

  clear(): void {
    this.rules = [];
  }

  /** Drops pending delays; `stop()` destroys the sockets they were holding. */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Express middleware; `isApiPath` picks the routes faults apply to. */
  middleware(isApiPath: (path: string) => boolean) {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const rule = isApiPath(req.path) ? this.take(req.method, req.path) : undefined;
      if (!rule) return next();

      if (rule.headers) res.set(rule.headers);
      if (rule.hang) return;
      if (rule.delayMs) await this.sleep(rule.delayMs);
      if (req.socket.destroyed) return;

      if (rule.reset) {
        req.socket.destroy();
        return;
      }
      if (rule.status !== undefined) return sendFault(res, rule.status, rule.body);

      next();
    };
  }

  /** The first matching rule, counted down and dropped when spent. */
  private take(method: string, path: string): FaultRule | undefined {
    const active = this.rules.find(({ rule }) => matches(rule, method, path));
    if (!active) return undefined;

    active.remaining -= 1;
    if (active.remaining <= 0) this.rules = this.rules.filter((other) => other !== active);

    return active.rule;
  }

  private sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, delayMs);
      this.timers.add(timer);
    });
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) {
    return false;
  }
  if (rule.path === undefined) return true;
  // A /g or /y pattern keeps its position between calls; start from zero each time.
  rule.path.lastIndex = 0;

  return rule.path.test(path);
}

/** A string body goes out as text, anything else as JSON; Nest's body when none is given. */
function sendFault(res: Response, status: number, body: unknown): void {
  res.status(status);
  if (typeof body === 'string') {
    if (!res.get('Content-Type')) res.type('text/plain');
    res.send(body);
    return;
  }
  res.json(body === undefined ? bodyForStatus(status) : body);
}
