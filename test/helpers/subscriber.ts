import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscriber {
  /** Events received so far, in order. */
  events: Record<string, unknown>[];
  errors: unknown[];
  /** Resolves once `count` events have arrived, or fails after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  /** Resolves when the server has acknowledged the connection. */
  connected: Promise<void>;
  /** Close code and reason, once the socket has closed. */
  closed: Promise<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

/** A graphql-ws client subscribed to one operation; no retries. */
export function subscribe(
  httpUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  connectionParams?: Record<string, unknown>,
): Subscriber {
  const events: Record<string, unknown>[] = [];
  const errors: unknown[] = [];
  let onConnected!: () => void;
  let onClosed!: (value: { code: number; reason: string }) => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client: Client = createClient({
    url: httpUrl.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    // A non-lazy client reports the close (an expected one too) here; the
    // close code is read through on.closed instead.
    onNonLazyError: () => undefined,
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        onClosed({ code, reason: String(reason) });
      },
    },
  });
  client.subscribe(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) errors.push(...value.errors);
        if (value.data) events.push(value.data as Record<string, unknown>);
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );

  return {
    events,
    errors,
    connected,
    closed,
    waitFor: async (count, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} events, got ${events.length}: ${JSON.stringify(errors)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return events;
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}

/** Lets in-flight messages land before asserting that nothing more arrives. */
export function settle(ms = 200): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
