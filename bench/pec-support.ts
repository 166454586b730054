/** Shared constants and helpers of `bench/pec.ts`: run sizes, targets, the demo boxes, small utilities. */
import { performance } from "node:perf_hooks";

export const RECEIPTS = Number(process.env.BENCH_RECEIPTS ?? 10_000);
export const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000);
export const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 500);
export const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
export const POOLS = [1, 5] as const;
export const SMTP_WARM_UP = 10;
export const TARGET_RECEIPTS = 500;
export const TARGET_MESSAGES = 50;
export const IPA = "c_bench";
export const BOX = "protocollo@pec.sandbox.test";
export const PROVIDER = { domain: "pec.sandbox.test", name: "Faccia PEC sandbox" } as const;
export const RECIPIENTS = [
  { name: "Nucleo di valutazione", address: "nucleo@pec.sandbox.test", ipaCode: null, copy: false },
  { name: "Dipartimento della funzione pubblica", address: "dfp@pec.sandbox.test", ipaCode: "dfp", copy: false },
  { name: "Regione", address: "regione@pec.sandbox.test", ipaCode: "r_bench", copy: false },
] as const;
export const ADDRESSES = RECIPIENTS.map((recipient) => recipient.address);
export const EC = { kind: "ec", namedCurve: "P-256" } as const;

export const startedAt = performance.now();
export const log = (message: string) =>
  console.error(`${((performance.now() - startedAt) / 1000).toFixed(1)} s  ${message}`);
export const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

export function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`sanity check failed: ${what}`);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

export async function inParallel<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}
