import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { DEVELOPMENT_JWT_SECRET, OPERATOR_ROLE } from '@dreamseed/platform';

/**
 * An access token as the gateway issues it for an operator (`app_metadata.role` = operator), signed with the
 * development secret: what the gateway forwards with an operator read.
 */
export function operatorAccessToken(issuer: string): Promise<string> {
  return new SignJWT({ role: 'authenticated', session_id: randomUUID(), email: 'operator@dreamseed.example', app_metadata: { role: OPERATOR_ROLE } })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(randomUUID())
    .setIssuer(issuer)
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET));
}
