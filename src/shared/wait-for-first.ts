/**
 * Resolves at the first of: the subscription calling `wake()`, `ms` elapsed, `signal` aborted.
 * Never rejects. `subscribe` starts listening and returns how to stop; it may call `wake()` at once.
 * Used by the mailbox readers' `waitForChange` (IMAP IDLE, fs.watch on a Maildir) and the PEC worker.
 */
export function waitForFirst(
  ms: number,
  signal: AbortSignal,
  subscribe: (wake: () => void) => () => void,
): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    let settled = false;
    let unsubscribe = () => {};
    const wake = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", wake);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal.addEventListener("abort", wake, { once: true });
    try {
      unsubscribe = subscribe(wake);
    } catch {
      // Nothing to listen to (say, no new/ directory yet): the timer and the signal still end the wait.
    }
    if (settled) unsubscribe();
  });
}
