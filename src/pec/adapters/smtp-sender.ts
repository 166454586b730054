/**
 * Submits an outbox message to the PEC provider over SMTP with nodemailer (pooled connections),
 * as raw bytes: what is sent is what was committed. The envelope is explicit, so MAIL FROM is the
 * authenticated box and RCPT TO is exactly To ∪ Cc (RFC 6109 §3.1.1 formal checks).
 */
import nodemailer from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool/index.js";
import { isLoopbackHost } from "../../shared/loopback.js";
import { classifySmtpFailure, type SmtpOutcome } from "../domain/outbox.js";

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** `tls`: implicit TLS (SMTPS, 465); `starttls`: upgrade required; `plain`: loopback sandbox only. */
  readonly security: "tls" | "starttls" | "plain";
  readonly user: string;
  readonly password: string;
  readonly tls?: { readonly rejectUnauthorized?: boolean; readonly ca?: string };
  readonly maxConnections?: number;
}

export interface SmtpSubmission {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: Uint8Array;
}

export interface SmtpSender {
  send(submission: SmtpSubmission): Promise<SmtpOutcome>;
  close(): void;
}

interface SmtpError {
  responseCode?: number;
  response?: string;
  code?: string;
  command?: string;
  message?: string;
}

export function createSmtpSender(settings: SmtpSettings): SmtpSender {
  // Without TLS the password would cross the network in clear: only a loopback test server may do that.
  if (settings.security === "plain" && !isLoopbackHost(settings.host))
    throw new TypeError(`SMTP without TLS is allowed only to a loopback server, not ${settings.host}`);
  const options: SMTPPool.Options & { maxRequeues: number } = {
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "plain",
    auth: { user: settings.user, pass: settings.password },
    maxConnections: settings.maxConnections ?? 3,
    // A message whose connection broke is never resubmitted by nodemailer itself: the outbox decides.
    maxRequeues: 0,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(settings.tls ? { tls: { ...settings.tls } } : {}),
  };
  const transport = nodemailer.createTransport(options);
  return {
    async send({ from, to, raw }) {
      try {
        const info = await transport.sendMail({ envelope: { from, to: [...to] }, raw: Buffer.from(raw) });
        return { ok: true, response: info.response };
      } catch (error) {
        const failure = error as SmtpError;
        const text = failure.response ?? `${failure.code ?? "SMTP"}: ${failure.message ?? String(error)}`;
        const facts = {
          responseCode: failure.responseCode ?? null,
          code: failure.code ?? null,
          command: failure.command ?? null,
        };
        return { ok: false, failure: classifySmtpFailure(facts), response: text };
      }
    },
    close: () => transport.close(),
  };
}
