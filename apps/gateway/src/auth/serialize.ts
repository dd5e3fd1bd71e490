import type { authUsers } from '../db/schema';

export type AuthUserRow = typeof authUsers.$inferSelect;

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : undefined);

/** A user as GoTrue serializes it: `email` and `phone` always strings, timestamps only when set. */
export function serializeUser(user: AuthUserRow) {
  const emailConfirmedAt = iso(user.emailConfirmedAt);
  const body: Record<string, unknown> = {
    id: user.id,
    aud: user.aud,
    role: user.role,
    email: user.email ?? '',
    phone: user.phone ?? '',
    email_confirmed_at: emailConfirmedAt,
    phone_confirmed_at: iso(user.phoneConfirmedAt),
    confirmed_at: emailConfirmedAt ?? iso(user.phoneConfirmedAt),
    invited_at: iso(user.invitedAt),
    confirmation_sent_at: iso(user.confirmationSentAt),
    recovery_sent_at: iso(user.recoverySentAt),
    email_change_sent_at: iso(user.emailChangeSentAt),
    new_email: user.emailChange ?? undefined,
    new_phone: user.phoneChange ?? undefined,
    phone_change_sent_at: iso(user.phoneChangeSentAt),
    last_sign_in_at: iso(user.lastSignInAt),
    banned_until: iso(user.bannedUntil),
    deleted_at: iso(user.deletedAt),
    app_metadata: user.rawAppMetaData,
    user_metadata: user.rawUserMetaData,
    identities: user.email
      ? [
          {
            identity_id: user.id,
            id: user.id,
            user_id: user.id,
            provider: 'email',
            identity_data: {
              sub: user.id,
              email: user.email,
              email_verified: Boolean(user.emailConfirmedAt),
              phone_verified: false,
            },
            email: user.email,
            last_sign_in_at: iso(user.lastSignInAt),
            created_at: iso(user.createdAt),
            updated_at: iso(user.updatedAt),
          },
        ]
      : [],
    created_at: iso(user.createdAt),
    updated_at: iso(user.updatedAt),
    is_anonymous: user.isAnonymous,
  };
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}
