import { and, eq, isNull, ne, or } from 'drizzle-orm';
import { pgErrorCode } from '@dreamseed/platform';
import type { GatewayConfig } from '../config';
import type { GatewayTx } from '../db/client';
import { authUsers, mailOutbox, oneTimeTokens, users } from '../db/schema';
import { AuthError } from './errors';
import type { AuthLimits } from './limits';
import type { AuthUserRow } from './serialize';
import { newOneTimeToken } from './tokens';

/**
 * Phone numbers as GoTrue handles them: a number asked for is pending (`auth.users.phone_change`) until the code
 * texted to it comes back; only then is it the account's `phone` and the profile's `customer_phone`. A confirmed
 * number is what inbound calls recognise the founder by and what outbound calls dial, so nothing else may set it.
 */

/** The outbox kind (and one-time token type) of a phone code; the outbox row's recipient is the number. */
export const PHONE_CODE_KIND = 'phone_change_token';

export const phoneExists = () => new AuthError(422, 'phone_exists', 'A user with this phone number has already been registered');

type PhoneConfig = Pick<GatewayConfig, 'AUTH_PHONE_AUTOCONFIRM' | 'AUTH_SMS_OTP_EXPIRY_SECONDS'>;

/**
 * Makes `phone` the user's pending number and writes a text with its code to the outbox. Returns the outbox
 * row's id (to hand to the queue once the transaction commits), or undefined when nothing is to be sent: the
 * number is already theirs, or numbers are confirmed at once (AUTH_PHONE_AUTOCONFIRM).
 */
export async function requestPhoneChange(
  tx: GatewayTx,
  user: AuthUserRow,
  phone: string,
  config: PhoneConfig,
  limits: Pick<AuthLimits, 'sms'>,
): Promise<string | undefined> {
  if (user.phone === phone && user.phoneConfirmedAt) return undefined;
  await refuseTakenPhone(tx, user.id, phone);
  const now = new Date();
  if (config.AUTH_PHONE_AUTOCONFIRM) {
    await confirmPhone(tx, user.id, phone, now);
    return undefined;
  }
  await limits.sms(phone);
  const { otp, tokenHash } = newOneTimeToken(phone);
  await tx.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.tokenType, PHONE_CODE_KIND)));
  await tx.insert(oneTimeTokens).values({
    userId: user.id,
    tokenType: PHONE_CODE_KIND,
    tokenHash,
    relatesTo: phone,
    expiresAt: new Date(now.getTime() + config.AUTH_SMS_OTP_EXPIRY_SECONDS * 1000),
  });
  await tx.update(authUsers).set({ phoneChange: phone, phoneChangeSentAt: now }).where(eq(authUsers.id, user.id));
  const minutes = Math.max(1, Math.round(config.AUTH_SMS_OTP_EXPIRY_SECONDS / 60));
  const [sms] = await tx
    .insert(mailOutbox)
    .values({
      userId: user.id,
      kind: PHONE_CODE_KIND,
      recipient: phone,
      subject: 'DreamSeed phone code',
      body: `DreamSeed. Your code: ${otp} (expires in ${minutes} minutes). If you did not ask for it, ignore this message.`,
    })
    .returning({ id: mailOutbox.id });
  if (!sms) throw new Error('insert returned nothing');
  return sms.id;
}

/** The code came back (or numbers autoconfirm): the number is the account's and the profile's. */
export async function confirmPhone(tx: GatewayTx, authUserId: string, phone: string, now: Date): Promise<void> {
  await refuseTakenPhone(tx, authUserId, phone);
  try {
    await tx
      .update(authUsers)
      .set({ phone, phoneConfirmedAt: now, phoneChange: null, updatedAt: now })
      .where(eq(authUsers.id, authUserId));
    await tx.update(users).set({ customerPhone: phone, updatedAt: now }).where(eq(users.authUserId, authUserId));
  } catch (error) {
    // Another account confirmed the same number between the check and the write.
    throw pgErrorCode(error) === '23505' ? phoneExists() : error;
  }
}

/** Only confirmed numbers are taken: a pending one proves nothing, so it cannot block the number's owner. */
async function refuseTakenPhone(tx: GatewayTx, authUserId: string, phone: string): Promise<void> {
  const [account] = await tx
    .select({ id: authUsers.id })
    .from(authUsers)
    .where(and(eq(authUsers.phone, phone), ne(authUsers.id, authUserId), isNull(authUsers.deletedAt)));
  const [profile] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.customerPhone, phone), isNull(users.deletedAt), or(isNull(users.authUserId), ne(users.authUserId, authUserId))));
  if (account || profile) throw phoneExists();
}
