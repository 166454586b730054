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
      );
      return;
    }
    let outcome: SmtpOutcome;
    try {
      outcome = await accounts.senderFor(box).send({ from: item.fromAddress, to: item.to, raw: item.raw });
    } catch (error) {
      // Not an SMTP answer (e.g. the box's password file is missing): nothing was sent, try again later.
      outcome = { ok: false, permanent: false, response: error instanceof Error ? error.message : String(error) };
    }
    if (outcome.ok) {
      await repo.markSubmitted(item.id, outcome.response, clock.now());
      log.info({ dispatchId: item.id, messageId: item.messageId, recipients: item.to.length }, "pec submitted");
    } else if (outcome.permanent || item.attempts >= MAX_ATTEMPTS) {
      await failDispatch(item, outcome.response);
    } else {
      const next = new Date(clock.now().getTime() + retryDelayMs(item.attempts));
      await repo.markRetry(item.id, outcome.response, next);
      log.warn(
        { dispatchId: item.id, attempt: item.attempts, next, reason: outcome.response },
        "pec submission will be retried",
      );
    }
  }

  return {
    /** One pass: claims what is due and submits it. Returns how many were attempted. */
    async runOnce(): Promise<number> {
      const items = await repo.claimDue(clock.now(), deps.batchSize ?? 20);
      await Promise.all(items.map(submit));
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
        const answered = await repo.providerAnswered(item.id);
        const decision = recoverAttempt(item.sendingSince ?? clock.now(), answered, clock.now());
        if (decision.action === "mark-submitted") {
          await repo.markSubmitted(
            item.id,
            "recovered: the provider's receipt for this Message-ID was read",
            item.sendingSince ?? clock.now(),
          );
          log.warn({ dispatchId: item.id, messageId: item.messageId }, "pec submission recovered from its receipt");
          recovered += 1;
        } else if (decision.action === "requeue") {
          await repo.markRetry(item.id, "no receipt after an interrupted submission: sending again", clock.now());
          log.warn(
            { dispatchId: item.id, messageId: item.messageId },
            "pec submission interrupted and unanswered: requeued",
          );
          recovered += 1;
        }
      }
      return recovered;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
