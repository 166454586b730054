/** What the sandbox provider needs to write one receipt (see `./receipt-builder.ts`). */
import type { DaticertError, ReceiptDetail } from "../domain/daticert.js";

export type SandboxReceiptKind =
  | "accettazione"
  | "non-accettazione"
  | "avvenuta-consegna"
  | "errore-consegna"
  | "preavviso-errore-consegna";

export interface SandboxReceiptInput {
  readonly kind: SandboxReceiptKind;
  /**
   * The message submitted: its Message-ID (no brackets; null when it had none, which only a
   * non-accettazione can report), sender, recipients (To and Cc) and decoded subject.
   */
  readonly original: {
    readonly messageId: string | null;
    readonly from: string;
    readonly to: readonly string[];
    readonly subject: string;
  };
  /** The recipient a consegna / mancata consegna is about (`<consegna>`); required for those. */
  readonly recipient?: string;
  /** avvenuta-consegna only (`X-TipoRicevuta`, `<ricevuta tipo>`); default completa. */
  readonly deliveryType?: ReceiptDetail;
  readonly at: Date;
  readonly provider: { readonly domain: string; readonly name: string; readonly timeZone?: string };
  /** The provider's id of the submitted message, the same in every receipt about it. */
  readonly identificativo: string;
  /** Default `altro` for non-accettazione and errore-consegna, else `nessuno`. */
  readonly errore?: DaticertError;
  readonly erroreEsteso?: string;
  /** errore-consegna only: the 24-hour avviso "per superamento del tempo massimo" (its own subject). */
  readonly timeout?: boolean;
  /** The message as delivered, carried as `postacert.eml` by a completa receipt (made CRLF). */
  readonly originalMessage?: Uint8Array;
  /** This receipt's own Message-ID; default a random one in the provider's domain. */
  readonly messageId?: string;
}
