/**
 * PDF date strings, ISO 32000-1 §7.9.4: `D:YYYYMMDDHHmmSSOHH'mm` where every part after the year
 * is optional and O is `+`, `-` or `Z`. The signature dictionary's /M is one (§12.8.1, Table 252).
 */
const PDF_DATE = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([+\-Z])(?:(\d{2})'?(?:(\d{2})'?)?)?)?$/;

export function parsePdfDate(text: string): Date | undefined {
  const match = PDF_DATE.exec(text.trim());
  if (match === null) return undefined;
  const part = (index: number, fallback: number) => (match[index] === undefined ? fallback : Number(match[index]));
  const [year, month, day] = [part(1, 0), part(2, 1), part(3, 1)];
  const [hour, minute, second] = [part(4, 0), part(5, 0), part(6, 0)];
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  // Date.UTC rolls 31 February over to March: refuse it.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  const sign = match[7] === "-" ? -1 : 1;
  const offset = match[7] === undefined || match[7] === "Z" ? 0 : sign * (part(8, 0) * 60 + part(9, 0));
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000);
}
