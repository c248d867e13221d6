/** Polls `pred` until it holds (a spawned process said something, a file appeared); fails after `ms`. */
export async function waitFor(pred: () => boolean, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
