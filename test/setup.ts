import 'reflect-metadata';

// The service logs through its structured logger only. A stray console line in
// a test run is a bug (it bypasses redaction), so it fails the test.
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  console[method] = (...args: unknown[]) => {
    throw new Error(`unexpected console.${method}: ${args.map(String).join(' ').slice(0, 200)}`);
  };
}
