export const DEFAULT_OUT_DIR: string;
export const SIZE_BUDGET_BYTES: number;
export interface KioskBuild {
  outDir: string;
  version: string;
  size: { js: number; css: number; gzip: number };
  precache: string[];
  /** True when the directory already held this version and nothing was written. */
  upToDate: boolean;
}
export function buildKioskApp(options?: { outDir?: string; force?: boolean; versionTag?: string }): Promise<KioskBuild>;
