import nodemailer from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Where auth mails go. With SMTP_URL set, through nodemailer; without it, nowhere further than the outbox
 * table (`auth.mail_outbox`, status `written`), which developers and tests read.
 */
export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(mail: Mail): Promise<void>;
}

/**
 * A mail the SMTP server did not take. Its message keeps nodemailer's code, the server's reply code and the
 * command, but not the reply text, which often quotes the recipient's address: the error ends up in the job's
 * failure reason (kept a month, shown on the dashboard) and in logs.
 */
export class MailDeliveryError extends Error {
  constructor(cause: unknown) {
    const { code, responseCode, command } = (cause ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
    const parts = [typeof code === 'string' ? code : 'error', typeof responseCode === 'number' ? String(responseCode) : '', typeof command === 'string' ? `at ${command}` : ''];
    super(`SMTP delivery failed: ${parts.filter(Boolean).join(' ')}`);
    this.name = 'MailDeliveryError';
  }
}

export function createMailer(options: { smtpUrl?: string; from: string }): Mailer {
  if (!options.smtpUrl) {
    return { kind: 'outbox', send: async () => undefined };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    kind: 'smtp',
    async send(mail) {
      try {
        await transport.sendMail({ from: options.from, ...mail });
      } catch (error) {
        throw new MailDeliveryError(error);
      }
    },
  };
}
