import { formatCount, type OutputStream, printLine } from "./io.js";

export interface Progress {
  update(done: number): void;
  finish(): void;
}

export interface ProgressOptions {
  total: number;
  label: string;
  /** Milliseconds, monotonic (tests pass a fake). */
  now?: () => number;
}

/** Terminal redraws at most this often. */
const REDRAW_MS = 100;
const BAR_WIDTH = 28;

function rateText(done: number, elapsedMs: number): string {
  return elapsedMs > 0 ? `${formatCount((done * 1000) / elapsedMs)}/s` : "";
}

function barLine(label: string, done: number, total: number, elapsedMs: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}`;
  const remainingMs = done > 0 ? (elapsedMs * (total - done)) / done : 0;
  const eta = done > 0 && done < total ? ` · ETA ${Math.ceil(remainingMs / 1000)}s` : "";
  const percent = `${Math.floor(share * 100)}`.padStart(3);
  return `${label} ${bar} ${percent}% ${formatCount(done)}/${formatCount(total)} · ${rateText(done, elapsedMs)}${eta}`;
}

/**
 * Progress on stderr: a bar redrawn in place (at most ten times a second)
 * when stderr is a terminal, otherwise one plain line per 10 %.
 */
export function createProgress(stream: OutputStream, options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let nextDecile = 1;
  let done = 0;
  const draw = () => {
    lastDraw = now();
    stream.write(`\r\x1b[2K${barLine(options.label, done, options.total, lastDraw - started)}`);
  };
  return {
    update(value) {
      done = value;
      if (stream.isTTY) {
        if (now() - lastDraw >= REDRAW_MS) draw();
        return;
      }
      const share = options.total > 0 ? done / options.total : 1;
      const decile = Math.min(10, Math.floor(share * 10));
      if (decile >= nextDecile) {
        printLine(stream, `${options.label}: ${decile * 10}% (${formatCount(done)}/${formatCount(options.total)})`);
        nextDecile = decile + 1;
      }
    },
    finish() {
      if (stream.isTTY) {
        draw();
        stream.write("\n");
      }
    },
  };
}
