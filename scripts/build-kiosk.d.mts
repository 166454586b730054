export const DEFAULT_OUT_DIR: string;
export const SIZE_BUDGET_BYTES: number;
export interface KioskBuild {
  outDir: string;
  version: string;
  size: { js: number; css: number; gzip: number };
  precache: string[];
}
export function buildKioskApp(options?: { outDir?: string }): Promise<KioskBuild>;
