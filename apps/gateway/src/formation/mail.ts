import { eq } from 'drizzle-orm';
import type { GatewayConfig } from '../config';
import type { GatewayTx } from '../db/client';
import { authUsers, mailOutbox, users } from '../db/schema';
import type { FounderMail } from './machine';

/** The outbox's kind for the formation case's mails (the auth mails have their own). */
export const FORMATION_MAIL_KIND = 'formation_update';

const SUBJECTS: Record<FounderMail, string> = {
  needs_founder: 'DreamSeed needs something from you to file your company',
  documents_ready: 'Your formation documents are ready',
  rejected: 'The state returned your filing',
  formed: 'Your company is formed',
  domain_consent: 'Agree to your domain registration terms',
};

type MailDetails = { question?: string | null; stateReason?: string | null; domain?: string | null };

function bodyOf(mail: FounderMail, details: MailDetails): string {
  switch (mail) {
    case 'needs_founder':
      return `We need something from you before your filing can go on:\n\n${details.question ?? ''}`;
    case 'documents_ready':
      return 'The drafts of your formation documents are ready to read and download.';
    case 'rejected':
      return `The state did not accept the filing${details.stateReason ? `: ${details.stateReason}` : '.'}\nWe are on it, and will tell you what happens next.`;
    case 'formed':
      return 'The state approved your company and its EIN is in. Congratulations!';
    case 'domain_consent':
      return `Before we register ${details.domain ?? 'your domain'} for you, the registrar asks you to read and agree to its registration agreements.`;
  }
}

/**
 * Writes a formation mail to the founder's account address into the gateway's mail outbox, in the transaction
 * of the move that causes it, so that a move committed always has its mail (the outbox's relay sends it even if
 * the queue is down when the move commits). Answers the mail's id, or undefined when the account has no address.
 */
export async function queueFormationMail(
  tx: GatewayTx,
  config: Pick<GatewayConfig, 'PUBLIC_URL' | 'AUTH_SITE_URL'>,
  userId: string,
  mail: FounderMail,
  details: MailDetails = {},
): Promise<string | undefined> {
  const [account] = await tx
    .select({ id: authUsers.id, email: authUsers.email, deletedAt: authUsers.deletedAt })
    .from(users)
    .innerJoin(authUsers, eq(authUsers.id, users.authUserId))
    .where(eq(users.id, userId));
  if (!account?.email || account.deletedAt) return undefined;
  const link = `${config.AUTH_SITE_URL ?? config.PUBLIC_URL}/formation`;
  const [row] = await tx
    .insert(mailOutbox)
    .values({
      userId: account.id,
      kind: FORMATION_MAIL_KIND,
      recipient: account.email,
      subject: SUBJECTS[mail],
      body: `${bodyOf(mail, details)}\n\nSee your formation case: ${link}`,
    })
    .returning({ id: mailOutbox.id });
  return row?.id;
}
