/**
 * Sends what the notifier queued: e-mails through nodemailer to the deployment's SMTP server, and
 * webhook calls as signed JSON POSTs (`webhook-signature.ts`). A failure is tried again after 1, 4, 9, …
 * minutes, up to {@link MAX_ATTEMPTS} attempts, and its error is kept (never a secret: the SMTP URL's
 * password and the webhook's secret are not in any message). A call is sent at least once: receivers
 * tell repeats by the body's `id`.
 * @module
 */
import { createTransport, type Transporter } from 'nodemailer';
import { claimDue, settleDelivery, type ClaimedMail } from '../records/delivery-repository.js';
import type { RecordsStore } from '../records/database.js';
import { signWebhook } from './webhook-signature.js';

export const MAX_ATTEMPTS = 8;
/** How long a claimed delivery is left to its sender before another may send it. */
const LEASE_MS = 5 * 60_000;
const WEBHOOK_TIMEOUT_MS = 10_000;

export interface NoticeMail {
  subject: string;
  text: string;
  html: string;
}

/** Where e-mails go out: an SMTP URL (`smtp://host:25`, `smtps://user:pass@host:465`) and a sender. */
export interface MailSettings {
  smtpUrl: string;
  from: string;
}

export interface Channels {
  /** The SMTP transport and sender; without it e-mails wait in the outbox. */
  mail?: { transport: Transporter; from: string };
  /** Writes a claimed e-mail (the web layer's renderer). */
  compose: (mail: ClaimedMail) => NoticeMail;
  now?: () => Date;
}

export function openMailTransport(settings: MailSettings): { transport: Transporter; from: string } {
  return { transport: createTransport(settings.smtpUrl), from: settings.from };
}

export interface DispatchReport {
  sent: number;
  retried: number;
  failed: number;
}

/** A message with any credentials of a URL in it (`//user:password@`) hidden. */
export const redactSecrets = (message: string): string => message.replace(/\/\/[^/@\s]*@/g, '//***@');

const reason = (error: unknown) => redactSecrets(error instanceof Error ? error.message : String(error));

/** Sends every due delivery (in rounds of 50); returns what happened. */
export async function dispatchDue(store: RecordsStore, channels: Channels): Promise<DispatchReport> {
  const report: DispatchReport = { sent: 0, retried: 0, failed: 0 };
  const clock = channels.now ?? (() => new Date());
  for (;;) {
    const now = clock();
    const claimed = (
      await claimDue(store, now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString(), 50)
    ).filter((c) => c.channel === 'webhook' || channels.mail);
    if (claimed.length === 0) return report;
    for (const item of claimed) {
      let error: string | null = null;
      try {
        if (item.channel === 'email') {
          const mail = channels.compose(item);
          await channels.mail!.transport.sendMail({
            from: channels.mail!.from,
            to: item.to,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            headers: { 'Content-Language': item.language, 'Auto-Submitted': 'auto-generated' },
          });
        } else {
          const body = JSON.stringify(item.payload);
          const timestamp = Math.floor(clock().getTime() / 1000);
          const response = await fetch(item.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'user-agent': 'Marco-Webhook/1',
              'x-marco-event': item.event,
              'x-marco-delivery': item.id,
              'x-marco-timestamp': String(timestamp),
              'x-marco-signature': signWebhook(item.secret, timestamp, body),
            },
            body,
            redirect: 'manual',
            signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
          });
          await response.body?.cancel();
          if (response.status < 200 || response.status > 299) error = `HTTP ${response.status}`;
        }
      } catch (e) {
        error = reason(e);
      }
      const at = clock();
      if (error === null) {
        await settleDelivery(store, item.id, { sent: true, at: at.toISOString() });
        report.sent++;
      } else if (item.attempts >= MAX_ATTEMPTS) {
        await settleDelivery(store, item.id, { sent: false, at: at.toISOString(), error, retryAt: null });
        report.failed++;
      } else {
        const retryAt = new Date(at.getTime() + item.attempts ** 2 * 60_000).toISOString();
        await settleDelivery(store, item.id, { sent: false, at: at.toISOString(), error, retryAt });
        report.retried++;
      }
    }
  }
}
