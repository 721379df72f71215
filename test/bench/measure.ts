/** Runs `task` repeatedly for about `durationMs` and reports operations per second. */
export async function opsPerSecond(task: () => unknown, durationMs = 1_000): Promise<number> {
  for (let i = 0; i < 50; i += 1) await task();
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    await task();
    count += 1;
  }

  return count / ((performance.now() - started) / 1000);
}

export function row(name: string, value: string): string {
  return `${name.padEnd(52)} ${value}`;
}

export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')} ops/s`;
}
