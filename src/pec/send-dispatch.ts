/**
 * Dispatching a signed report (issue 6 "Sending"): the message is built once, with our own
 * Message-ID, and committed to the outbox together with the report's move to `dispatched`; the
 * outbox worker (`run-outbox.ts`) sends it. Nothing is sent from inside a request.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { composeDispatchMessage } from "./adapters/compose-message.js";
import { type DispatchRepository, ReportMovedError } from "./adapters/dispatch-repository.js";
import type { PecSettingsRepository } from "./adapters/pec-settings-repository.js";
import {
  attachmentsOf,
  type DispatchRecipient,
  dispatchMessageId,
  dispatchSubject,
  dispatchText,
} from "./domain/dispatch-message.js";
import { fitsProviderLimit } from "./domain/outbox.js";
import type { DispatchReportsPort } from "./ports.js";

export interface DispatchingDeps {
  readonly repo: DispatchRepository;
  readonly settings: PecSettingsRepository;
  readonly reports: DispatchReportsPort;
  readonly clock: Clock;
  readonly maxMessageBytes: number;
  /** Wakes the outbox worker once the dispatch is committed. */
  readonly onQueued?: () => void;
}

export interface QueuedDispatch {
  readonly id: string;
  readonly messageId: string;
  readonly recipients: readonly DispatchRecipient[];
  readonly bytes: number;
}

export function createDispatching(deps: DispatchingDeps) {
  const { repo, settings, reports, clock } = deps;

  async function recipientsFor(reportId: string, entityId: string, redispatch: boolean) {
    const all = await settings.recipients(entityId);
    if (all.length === 0)
      throw new AppError("PEC_NO_RECIPIENTS", "the entity has no oversight recipients: add one before dispatching");
    if (!redispatch) return all;
    const delivered = await repo.deliveredAddresses(reportId);
    const missing = all.filter((recipient) => !delivered.has(recipient.address));
    if (missing.length === 0)
      throw new AppError("PEC_NO_RECIPIENTS", "every recipient has already received the report");
    return missing;
  }

  return {
    /**
     * Queues the report's dispatch: to every recipient for a signed report, or, for a failed or
     * partially delivered one, to the recipients that have not received it yet.
     */
    async dispatchReport(ipaCode: string, reportId: string, by: string): Promise<QueuedDispatch> {
      const report = await reports.get(ipaCode, reportId);
      const redispatch = report.status !== "signed";
      const event = redispatch ? "redispatch" : "dispatch";
      const to = reports.transition(report.status, event);
      if (to === null)
        throw new AppError(
          "REPORT_STATE_CONFLICT",
          `only a signed report can be dispatched (the report is ${report.status})`,
        );
      const box = await settings.box(report.entityId);
      if (!box) throw new AppError("PEC_NOT_CONFIGURED", `entity ${ipaCode} has no PEC box configured`);
      const recipients = await recipientsFor(report.id, report.entityId, redispatch);
      const files = attachmentsOf({ ...report, entityName: report.entityName });
      if (files === null) throw new AppError("REPORT_STATE_CONFLICT", "the report has no signed file to send");
      const attachments = await Promise.all(
        files.map(async (file) => ({ ...file, content: await reports.file(ipaCode, report.id, file.format) })),
      );
      const id = randomUUID();
      const messageId = dispatchMessageId(id, box.address);
      const subject = dispatchSubject(report);
      const raw = await composeDispatchMessage({
        messageId,
        from: box.address,
        recipients,
        subject,
        text: dispatchText(report, files),
        date: clock.now(),
        attachments,
      });
      if (!fitsProviderLimit(raw.length, recipients.length, deps.maxMessageBytes)) {
        throw new AppError(
          "PEC_MESSAGE_TOO_LARGE",
          `the message is ${raw.length} bytes for ${recipients.length} recipient(s): size × recipients exceeds the provider limit of ${deps.maxMessageBytes} bytes`,
        );
      }
      const sha256 = createHash("sha256").update(raw).digest("hex");
      const dispatch = { id, entityId: report.entityId, reportId: report.id, messageId, fromAddress: box.address };
      try {
        await repo.create(
          { ...dispatch, subject, recipients, raw, sha256, createdBy: by, at: clock.now() },
          { reportId: report.id, from: report.status, to },
        );
      } catch (error) {
        if (error instanceof ReportMovedError)
          throw new AppError("REPORT_STATE_CONFLICT", "the report changed meanwhile: reload and retry");
        throw error;
      }
      deps.onQueued?.();
      return { id, messageId, recipients, bytes: raw.length };
    },
  };
}

export type Dispatching = ReturnType<typeof createDispatching>;
