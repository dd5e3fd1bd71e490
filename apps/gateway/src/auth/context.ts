import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { JobProducer } from '@dreamseed/platform';
import type { GatewayConfig } from '../config';
import type { GatewayDb, GatewayTx } from '../db/client';
import { authUsers } from '../db/schema';
import { sessionNotFound } from './errors';
import type { AuthLimits } from './limits';
import type { AuthUserRow } from './serialize';
import type { TokenSigner } from './tokens';

/** What every auth flow works with: the database, the settings, the token signer, the limits and the queue. */
export interface AuthContext {
  readonly db: GatewayDb;
  readonly config: GatewayConfig;
  readonly signer: TokenSigner;
  readonly limits: AuthLimits;
  readonly producer: JobProducer;
  readonly logger: Logger;
}

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
  /** The request's correlation id, carried into the mail job it may cause. */
  correlationId?: string;
}

export async function findUserByEmail(db: GatewayDb | GatewayTx, email: string): Promise<AuthUserRow | undefined> {
  const [user] = await db
    .select()
    .from(authUsers)
    .where(and(sql`lower(${authUsers.email}) = ${email}`, isNull(authUsers.deletedAt)));
  return user;
}

export async function reloadUser(tx: GatewayTx, id: string): Promise<AuthUserRow> {
  const [user] = await tx.select().from(authUsers).where(eq(authUsers.id, id));
  if (!user) throw sessionNotFound();
  return user;
}

export function isBanned(user: Pick<AuthUserRow, 'bannedUntil'>): boolean {
  return Boolean(user.bannedUntil && user.bannedUntil > new Date());
}
