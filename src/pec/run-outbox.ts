/**
 * The outbox worker (issue 6 "Sending"): submits committed dispatches over SMTP, retries transient
 * failures with backoff, fails a dispatch on a permanent 5xx with the server's text, and recovers
 * attempts a crash interrupted without ever sending twice blindly (`domain/outbox.ts`).
 */
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import type { DispatchRepository, OutboxItem } from "./adapters/dispatch-repository.js";
import type { PecSettingsRepository } from "./adapters/pec-settings-repository.js";
import { MAX_ATTEMPTS, recoverAttempt, retryDelayMs, type SmtpOutcome } from "./domain/outbox.js";
import type { DispatchReportsPort, PecAccountsPort } from "./ports.js";

export interface OutboxDeps {
  readonly repo: DispatchRepository;
  readonly settings: PecSettingsRepository;
  readonly accounts: Pick<PecAccountsPort, "senderFor">;
  readonly transition: DispatchReportsPort["transition"];
  readonly clock: Clock;
  readonly log: Logger;
  /** How many dispatches one pass claims (several are submitted at once over the pool). */
  readonly batchSize?: number;
}

export function createOutbox(deps: OutboxDeps) {
  const { repo, settings, accounts, clock, log } = deps;

  async function failDispatch(item: OutboxItem, reason: string): Promise<void> {
    const from = await repo.reportStatus(item.reportId);
    const to = from === null ? null : deps.transition(from, "dispatchFailed");
    await repo.markRefused(
      item.id,
      reason,
      from !== null && to !== null ? { reportId: item.reportId, from, to } : null,
    );
    log.error({ dispatchId: item.id, messageId: item.messageId, reason }, "pec dispatch refused");
  }

  async function submit(item: OutboxItem): Promise<void> {
    const box = await settings.box(item.entityId);
    if (!box) {
      await repo.markRetry(
        item.id,
        "the entity has no PEC box configured",
        new Date(clock.now().getTime() + retryDelayMs(item.attempts)),
        true,
      );
      return;
    }
    let outcome: SmtpOutcome;
    try {
      outcome = await accounts.senderFor(box).send({ from: item.fromAddress, to: item.to, raw: item.raw });
    } catch (error) {
      // Not an SMTP answer (e.g. the box's password file is missing): nothing was sent, try again later.
      outcome = { ok: false, failure: "transient", response: error instanceof Error ? error.message : String(error) };
    }
    await settle(item, outcome);
  }

  async function settle(item: OutboxItem, outcome: SmtpOutcome): Promise<void> {
    const fields = { dispatchId: item.id, messageId: item.messageId, attempt: item.attempts, reason: outcome.response };
    if (outcome.ok) {
      await repo.markSubmitted(item.id, outcome.response, clock.now());
      log.info({ dispatchId: item.id, messageId: item.messageId, recipients: item.to.length }, "pec submitted");
    } else if (outcome.failure === "unknown") {
      // The provider may have the message: stay in `sending`; recovery settles it from the receipts.
      await repo.noteUncertain(item.id, outcome.response);
      log.warn(fields, "pec submission outcome unknown: waiting for the provider's receipt");
    } else if (outcome.failure === "permanent" || (outcome.failure === "transient" && item.attempts >= MAX_ATTEMPTS)) {
      await failDispatch(item, outcome.response);
    } else {
      const next = new Date(clock.now().getTime() + retryDelayMs(item.attempts));
      // A refused login is the box's configuration, not this message: it does not use up attempts.
      await repo.markRetry(item.id, outcome.response, next, outcome.failure === "credentials");
      log.warn({ ...fields, next, failure: outcome.failure }, "pec submission will be retried");
    }
  }

  return {
    /** One pass: claims what is due and submits it. Returns how many were attempted. */
    async runOnce(): Promise<number> {
      const items = await repo.claimDue(clock.now(), deps.batchSize ?? 20);
      // Every submission runs to its end before the pass (and its lock) ends, even if one fails.
      const results = await Promise.allSettled(items.map(submit));
      const failed = results.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
      return items.length;
    },

    /**
     * Attempts left in `sending` by a process that died: marked submitted when the provider's
     * acceptance (or refusal) for our Message-ID has been read, sent again only when none came
     * within the recovery window. Run it after reading the mailbox.
     */
    async recover(): Promise<number> {
      let recovered = 0;
      for (const item of await repo.sending()) {
        const box = await settings.box(item.entityId);
        const decision = recoverAttempt({
          sendingSince: item.sendingSince ?? clock.now(),
          answer: await repo.providerAnswered(item.id),
          lastReadAt: box?.lastReadAt ?? null,
          now: clock.now(),
        });
        const fields = { dispatchId: item.id, messageId: item.messageId };
        if (decision.action === "mark-submitted") {
          const why = "recovered: the provider's receipt for this Message-ID was read";
          await repo.markSubmitted(item.id, why, item.sendingSince ?? clock.now());
          log.warn(fields, "pec submission recovered from its receipt");
          recovered += 1;
        } else if (decision.action === "requeue") {
          const why = "no receipt after an interrupted submission, though the mailbox was read: sending again";
          await repo.markRetry(item.id, why, clock.now(), false);
          log.warn(fields, "pec submission interrupted and unanswered: requeued");
          recovered += 1;
        } else {
          await repo.noteUncertain(item.id, decision.reason);
        }
      }
      return recovered;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
