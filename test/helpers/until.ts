/** Checks again every `pauseMs` until `check` is true, at most `attempts` times; resolves to the last answer. */
export async function until(check: () => Promise<boolean>, attempts = 50, pauseMs = 50): Promise<boolean> {
  for (let i = 1; i < attempts; i += 1) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return check();
}
