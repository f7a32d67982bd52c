/** What the exit handlers drive. Each function must resolve (never reject). */
export interface ExitHooks {
  /** Whether anything waits to be sent (checked when the event loop empties). */
  hasPending(): boolean;
  /** Sends what is pending, within `deadlineMs`. */
  flush(deadlineMs: number): Promise<unknown>;
  /** Flushes, then spools what is left and stops; within `deadlineMs`. */
  shutdown(deadlineMs: number): Promise<unknown>;
  /**
   * The deadline passed: abort requests in flight (their payloads are spooled) and start no new
   * ones (later pushes are spooled). Synchronous; may be called more than once.
   */
  abort(): void;
  /**
   * The process is ending (the host called `process.exit()`, possibly while a flush or shutdown
   * was still running): only synchronous work is possible now. Aborts what is in flight and
   * spools what was not delivered for the next run.
   */
  exitSync(): void;
}

/** What `installExitHandlers` returns. */
export interface ExitHandlers {
  /**
   * Removes the `beforeExit` and signal handlers, keeping the `exit` hook: a shutdown in progress
   * can still be cut short by `process.exit()`, and what it has not sent must then be spooled.
   */
  removeTriggers(): void;
  /** Removes every handler. */
  remove(): void;
}

/** Signals handled by default. */
export const EXIT_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
/** How many times the loop may empty and be refilled by Lookout's own exit flush. */
const MAX_BEFORE_EXIT_FLUSHES = 3;

/**
 * Installs Lookout's exit handling; returns `removeTriggers` (stop reacting to `beforeExit` and
 * signals, keeping the `exit` hook) and `remove` (everything).
 *
 * - Natural exit (`beforeExit`): when something is pending, flush within `deadlineMs`. Every
 *   timer is unref'd, so once the flush's sockets are done the process exits as it would have.
 * - `process.exit()` called by the host (no `beforeExit`): on `exit`, `exitSync` spools what is
 *   pending synchronously; the exit code and timing stay the host's.
 * - SIGINT/SIGTERM: shut down within `deadlineMs`. When the host has its own handler for the
 *   signal, that handler decides what happens next and Lookout never holds the process (its
 *   timers are unref'd). When Lookout's is the only handler, the default behaviour is restored
 *   and the signal raised again once the work is done or the deadline passes, so the process
 *   ends by the signal (exit status 128+n), as it would have without Lookout. A second signal
 *   during the work ends it at once.
 */
export function installExitHandlers(hooks: ExitHooks, deadlineMs: number, signals: boolean): ExitHandlers {
  let flushes = 0;
  let flushing = false;
  const onBeforeExit = (): void => {
    if (flushing || flushes >= MAX_BEFORE_EXIT_FLUSHES || !safe(() => hooks.hasPending(), false)) return;
    flushing = true;
    flushes++;
    const timer = setTimeout(() => hooks.abort(), deadlineMs);
    timer.unref();
    void hooks.flush(deadlineMs).finally(() => {
      clearTimeout(timer);
      flushing = false;
    });
  };
  process.on('beforeExit', onBeforeExit);
  // 'exit' also follows a natural exit and the signal path; exitSync checks whether anything is left.
  const onExit = (): void => {
    safe(() => hooks.exitSync(), undefined);
  };
  process.on('exit', onExit);

  let handling: NodeJS.Signals | undefined;
  const listeners = new Map<NodeJS.Signals, () => void>();
  const removeTriggers = (): void => {
    process.off('beforeExit', onBeforeExit);
    for (const [signal, listener] of listeners) process.off(signal, listener);
    listeners.clear();
  };
  const remove = (): void => {
    removeTriggers();
    process.off('exit', onExit);
  };
  const reRaise = (signal: NodeJS.Signals): void => {
    remove();
    // With no listener left, Node's default action applies: the process ends by the signal.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  if (signals) {
    for (const signal of EXIT_SIGNALS) {
      const listener = (): void => {
        const hostHandles = process.listenerCount(signal) > 1;
        if (handling !== undefined) {
          // A second signal while shutting down: stop waiting.
          hooks.abort();
          if (!hostHandles) reRaise(signal);
          return;
        }
        handling = signal;
        let done = false;
        const finish = (): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          // Whatever still runs past the deadline is spooled now, before the process can end.
          safe(() => hooks.abort(), undefined);
          if (!hostHandles) reRaise(signal);
        };
        // Without a host handler nothing else will end the process: this timer is kept ref'd so
        // the exit happens at the deadline at the latest. With one, it must not hold the process.
        const timer = setTimeout(() => {
          hooks.abort();
          finish();
        }, deadlineMs);
        if (hostHandles) timer.unref();
        // The parts get slightly less than the deadline, so what they spool is written before the exit.
        void hooks.shutdown(Math.max(0, deadlineMs - Math.min(200, deadlineMs / 5))).finally(finish);
      };
      listeners.set(signal, listener);
      process.on(signal, listener);
    }
  }
  return { removeTriggers, remove };
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
