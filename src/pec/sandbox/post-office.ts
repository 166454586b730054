/**
 * What the sandbox provider does with a message once SMTP has taken it (DM 2 novembre 2005,
 * Allegato; RFC 6109 §3; reference/pec.md §1, §4, §10): as punto di accesso the ricevuta di
 * accettazione or the avviso di non accettazione, and the busta di trasporto; as the recipients'
 * punto di consegna (every box lives here) the delivery into their Maildir and the ricevuta di
 * avvenuta consegna or the avviso di mancata consegna; the 12-hour preavviso and the 24-hour
 * avviso for deliveries nobody answers; the busta di anomalia for ordinary mail.
 *
 * Work runs in one queue after the SMTP answer, so `idle()` can wait for it; faults (see
 * `./sandbox-faults.ts`) are read when each piece of work runs.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Clock } from "../../shared/clock.js";
import type { Logger } from "../../shared/logger.js";
import type { Signer } from "../../signature/index.js";
import type { DaticertError } from "../domain/daticert.js";
import { addressesOf, headerValue } from "../mime/headers.js";
import { buildAnomalyEnvelope } from "./anomaly-builder.js";
import { buildTransportEnvelope, deliveredMessage } from "./envelope-builder.js";
import type { ProviderIdentity } from "./envelope-fields.js";
import { createIdentificativi } from "./identificativo.js";
import { deliverToMaildir } from "./maildir.js";
import { buildReceipt } from "./receipt-builder.js";
import { arrangeReceipts, type Outgoing, type SandboxFaults } from "./sandbox-faults.js";
import type { SandboxMailboxes } from "./sandbox-mailboxes.js";
import type { SandboxReceiptInput } from "./sandbox-receipt.js";
import { checkSubmission, headerBlockOf, type Submission } from "./submission.js";

const HOUR_MS = 60 * 60 * 1000;
/** DM 2 novembre 2005, Allegato (reference/pec.md §4): the preavviso at 12 hours, the final avviso at 24. */
export const PREAVVISO_AFTER_MS = 12 * HOUR_MS;
export const MANCATA_CONSEGNA_AFTER_MS = 24 * HOUR_MS;

export interface PostOfficeOptions {
  readonly maildir: string;
  readonly signer: Signer;
  readonly provider: ProviderIdentity;
  readonly mailboxes: SandboxMailboxes;
  readonly clock: Clock;
  readonly log: Logger;
  /** The faults in force, read when each piece of work runs. */
  readonly faults: () => SandboxFaults;
}

/** An accepted message, as every later receipt about it needs it. */
interface Accepted {
  readonly submission: Submission;
  readonly identificativo: string;
  readonly at: Date;
  /** The original as delivered (`postacert.eml`). */
  readonly delivered: Uint8Array;
  /** Built once, on the first delivery, and shared by every recipient. */
  envelope?: Promise<Uint8Array>;
}

/** A delivery whose recipient's provider does not answer (fault `holdDelivery`). */
interface HeldDelivery {
  readonly accepted: Accepted;
  readonly recipient: string;
  warned: boolean;
}

type Route =
  | { readonly deliver: true }
  | { readonly deliver: false; readonly errore: DaticertError; readonly erroreEsteso: string };

type ReceiptRequest = Partial<SandboxReceiptInput> & Pick<SandboxReceiptInput, "kind">;

export class PostOffice {
  readonly #options: PostOfficeOptions;
  readonly #nextIdentificativo: (at: Date) => string;
  readonly #held: HeldDelivery[] = [];
  #tail: Promise<unknown> = Promise.resolve();

  constructor(options: PostOfficeOptions) {
    this.#options = options;
    this.#nextIdentificativo = createIdentificativi(options.provider);
  }

  /** Checks a submission (RFC 6109 §3.1.1) and queues what follows; returns its identificativo. */
  submit(input: { raw: Uint8Array; user: string; recipients: readonly string[] }): string {
    const { clock, log, provider } = this.#options;
    const at = clock.now();
    const identificativo = this.#nextIdentificativo(at);
    const check = checkSubmission({ ...input, providerName: provider.name });
    if (check.ok) {
      log.info({ identificativo, sender: input.user, recipients: input.recipients.length }, "pec accepted");
      void this.#enqueue(() => this.#accept(check.submission, identificativo, at), { identificativo });
      return identificativo;
    }
    log.info({ identificativo, sender: input.user, reason: check.erroreEsteso }, "pec not accepted");
    const refusal = {
      kind: "non-accettazione",
      original: check.refused,
      at,
      provider,
      identificativo,
      errore: "altro",
      erroreEsteso: check.erroreEsteso,
    } as const;
    const refuse = async () => {
      const bytes = await buildReceipt(refusal, this.#options.signer);
      await this.#write([{ mailbox: input.user, kind: "non-accettazione", bytes }]);
    };
    void this.#enqueue(refuse, { identificativo });
    return identificativo;
  }

  /** The due preavvisi and avvisi of held deliveries, and the deliveries whose hold was lifted. */
  runDeadlines(): Promise<number> {
    return this.#enqueue(() => this.#deadlines(), { work: "deadlines" });
  }

  /** Wraps ordinary mail in a busta di anomalia for each sandbox box among `recipients` (default To ∪ Cc). */
  deliverPlainMail(raw: Uint8Array, recipients?: readonly string[]): Promise<string[]> {
    return this.#enqueue(() => this.#deliverAnomaly(raw, recipients), { work: "anomaly" });
  }

  /** Resolves once the queue is empty, including work queued while waiting. */
  async idle(): Promise<void> {
    let seen: Promise<unknown> | undefined;
    while (seen !== this.#tail) {
      seen = this.#tail;
      await seen;
    }
  }

  #enqueue<T>(work: () => Promise<T>, context: Record<string, unknown>): Promise<T> {
    const run = this.#tail.then(work);
    this.#tail = run.catch((error: unknown) =>
      this.#options.log.error({ err: error, ...context }, "sandbox provider work failed"),
    );
    return run;
  }

  async #accept(submission: Submission, identificativo: string, at: Date): Promise<void> {
    const delivered = deliveredMessage(submission.raw, identificativo, submission.messageId);
    const accepted: Accepted = { submission, identificativo, at, delivered };
    const bytes = await this.#receipt(accepted, { kind: "accettazione", at });
    const items: Outgoing[] = [{ mailbox: submission.from, kind: "accettazione", bytes }];
    const holding = this.#options.faults().holdDelivery;
    for (const recipient of [...submission.to, ...submission.cc]) {
      if (holding.includes(recipient)) this.#held.push({ accepted, recipient, warned: false });
      else items.push(...(await this.#deliverTo(accepted, recipient)));
    }
    await this.#write(items);
  }

  /** The envelope into the box and the consegna to the sender, or the avviso di mancata consegna. */
  async #deliverTo(accepted: Accepted, recipient: string): Promise<Outgoing[]> {
    const { submission } = accepted;
    const route = this.#routeOf(recipient);
    this.#options.log.info(
      { identificativo: accepted.identificativo, recipient, delivered: route.deliver },
      "pec delivery",
    );
    if (!route.deliver) {
      const { errore, erroreEsteso } = route;
      const bytes = await this.#receipt(accepted, { kind: "errore-consegna", recipient, errore, erroreEsteso });
      return [{ mailbox: submission.from, kind: "errore-consegna", bytes }];
    }
    accepted.envelope ??= buildTransportEnvelope(
      { ...accepted, provider: this.#options.provider },
      this.#options.signer,
    );
    // The type the sender asked for; a Cc recipient's receipt is always sintetica (reference/pec.md §6).
    const deliveryType = submission.cc.includes(recipient) ? "sintetica" : submission.deliveryType;
    const consegna = {
      kind: "avvenuta-consegna",
      recipient,
      deliveryType,
      originalMessage: accepted.delivered,
    } as const;
    return [
      { mailbox: recipient, kind: "posta-certificata", bytes: await accepted.envelope },
      { mailbox: submission.from, kind: "avvenuta-consegna", bytes: await this.#receipt(accepted, consegna) },
    ];
  }

  /** Punto di consegna: where a recipient's copy goes, or the Nota 12-style reason it cannot (reference/pec.md §3). */
  #routeOf(recipient: string): Route {
    const { mailboxes, provider } = this.#options;
    const unknown = mailboxes.isLocal(recipient) && !mailboxes.exists(recipient);
    if (unknown || this.#options.faults().rejectRecipients.includes(recipient))
      return { deliver: false, errore: "no-dest", erroreEsteso: `5.1.1 - ${provider.name} - indirizzo non valido` };
    if (!mailboxes.isLocal(recipient))
      return { deliver: false, errore: "no-dominio", erroreEsteso: `5.1.2 - ${provider.name} - dominio non valido` };
    return { deliver: true };
  }

  /** reference/pec.md §4: the preavviso once 12 hours have passed, the final avviso at 24; a lifted hold delivers. */
  async #deadlines(): Promise<number> {
    const now = this.#options.clock.now().getTime();
    const items: Outgoing[] = [];
    for (const delivery of [...this.#held]) {
      const elapsed = now - delivery.accepted.at.getTime();
      const released = !this.#options.faults().holdDelivery.includes(delivery.recipient);
      if (released) items.push(...(await this.#deliverTo(delivery.accepted, delivery.recipient)));
      else items.push(...(await this.#timeouts(delivery, elapsed)));
      if (released || elapsed >= MANCATA_CONSEGNA_AFTER_MS) this.#held.splice(this.#held.indexOf(delivery), 1);
    }
    return this.#write(items);
  }

  /** Each at most once: `4.4.7` (transient) at 12 hours, `5.4.7` (final) at 24 (RFC 3463 §3.5). */
  async #timeouts(delivery: HeldDelivery, elapsed: number): Promise<Outgoing[]> {
    const { accepted, recipient } = delivery;
    const name = this.#options.provider.name;
    const mailbox = accepted.submission.from;
    const items: Outgoing[] = [];
    if (!delivery.warned && elapsed >= PREAVVISO_AFTER_MS) {
      delivery.warned = true;
      const erroreEsteso = `4.4.7 - ${name} - messaggio non ancora consegnato entro 12 ore`;
      const request = { kind: "preavviso-errore-consegna", recipient, errore: "altro", erroreEsteso } as const;
      items.push({ mailbox, kind: "preavviso-errore-consegna", bytes: await this.#receipt(accepted, request) });
    }
    if (elapsed >= MANCATA_CONSEGNA_AFTER_MS) {
      const erroreEsteso = `5.4.7 - ${name} - tempo massimo superato: messaggio non consegnato entro 24 ore`;
      const request = { kind: "errore-consegna", recipient, errore: "altro", erroreEsteso, timeout: true } as const;
      items.push({ mailbox, kind: "errore-consegna", bytes: await this.#receipt(accepted, request) });
    }
    return items;
  }

  /** The busta di anomalia (punto di ricezione, reference/pec.md §1–§2): ordinary mail reaching a PEC box. */
  async #deliverAnomaly(raw: Uint8Array, recipients?: readonly string[]): Promise<string[]> {
    const { clock, provider, mailboxes } = this.#options;
    const headers = headerBlockOf(raw);
    const named = ["to", "cc"].flatMap((name) => addressesOf(headerValue(headers, name) ?? ""));
    const lower = (recipients ?? named).map((address) => address.toLowerCase());
    const boxes = [...new Set(lower)].filter((address) => mailboxes.exists(address));
    if (boxes.length === 0) return [];
    const error = "messaggio di posta ordinaria, non certificato da un gestore PEC";
    const bytes = await buildAnomalyEnvelope({ message: raw, error, at: clock.now(), provider }, this.#options.signer);
    await this.#write(boxes.map((mailbox) => ({ mailbox, kind: "errore", bytes })));
    this.#options.log.info({ recipients: boxes.length }, "pec anomaly delivered");
    return boxes;
  }

  #receipt(accepted: Accepted, request: ReceiptRequest): Promise<Uint8Array> {
    const { submission, identificativo } = accepted;
    const original = { ...submission, to: [...submission.to, ...submission.cc] };
    const { clock, provider, signer } = this.#options;
    return buildReceipt({ original, at: clock.now(), provider, identificativo, ...request }, signer);
  }

  /** Envelopes first, then the receipts as the faults arrange them, after the fault delay. */
  async #write(items: readonly Outgoing[]): Promise<number> {
    const { maildir } = this.#options;
    const faults = this.#options.faults();
    const { envelopes, receipts } = arrangeReceipts(items, faults);
    for (const item of envelopes) await deliverToMaildir(maildir, item.mailbox, item.bytes);
    if (receipts.length > 0 && faults.receiptDelayMs > 0) await delay(faults.receiptDelayMs);
    for (const item of receipts) await deliverToMaildir(maildir, item.mailbox, item.bytes);
    return receipts.length;
  }
}
