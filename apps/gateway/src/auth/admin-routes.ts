import express, { type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { E164 } from '@dreamseed/contracts';
import type { GatewayConfig } from '../config';
import { describeRoutes } from '../http/openapi';
import type { AdminUserAttributes, AuthAdmin } from './admin';
import { AuthError, parseAuthInput } from './errors';
import { serializeUser } from './serialize';
import { SERVICE_ROLE, verifyBearerClaims } from './tokens';

/**
 * GoTrue's admin API at /auth/v1, as `@supabase/auth-js`'s `GoTrueAdminApi` calls it: users listed, read, created,
 * changed and deleted; invitations; links generated without a mail. Only for a bearer token with role
 * `service_role` signed by JWT_SECRET (Supabase's service-role key), and only while SERVICE_ROLE_KEY is set: the
 * key is the platform's master key over every account, kept server-side, never sent to a browser.
 */

// AUTH_PATH, spelled out: routes.ts mounts this router, so importing its constant back would be circular.
const AUTH = '/auth/v1';

const email = z.email('Unable to validate email address: invalid format').max(255);
const phone = z
  .string()
  .trim()
  .transform((value) => (value.startsWith('+') ? value : `+${value}`))
  .pipe(z.string().regex(E164, 'Invalid phone number format (E.164 required)'));
const metadata = z.record(z.string(), z.unknown());

// Bodies as GoTrue reads them: unknown fields ignored, a null the same as an absent field.
const userAttributes = z
  .object({
    email: email.nullish(),
    phone: phone.nullish(),
    password: z.string().max(1024).nullish(),
    email_confirm: z.boolean().nullish(),
    phone_confirm: z.boolean().nullish(),
    user_metadata: metadata.nullish(),
    app_metadata: metadata.nullish(),
    ban_duration: z.string().max(64).nullish().openapi({ description: "`none` lifts a ban; a Go duration (`24h`, `1h30m`) bans until then" }),
    role: z
      .literal('authenticated', 'role: only authenticated, which every access token carries (an operator is app_metadata.role)')
      .nullish(),
    id: z.null('id: accounts get their own ids here').optional(),
    password_hash: z.null('password_hash: not accepted here; passwords are hashed by the gateway (set password, or generate a recovery link)').optional(),
  })
  .openapi('AdminUserAttributes', {
    example: { email: 'ada@example.com', email_confirm: true, user_metadata: { full_name: 'Ada Baker' }, app_metadata: { role: 'operator' } },
  });
const listQuery = z.object({
  page: z.coerce.number('page must be a number').int('page must be a whole number').min(1, 'page must be 1 or more').max(1_000_000).optional(),
  per_page: z.coerce.number('per_page must be a number').int('per_page must be a whole number').min(1, 'per_page must be 1 or more').max(1000, 'per_page may be at most 1000').optional(),
});
const deleteBody = z.object({ should_soft_delete: z.boolean().nullish() });
const inviteBody = z.object({ email, data: metadata.nullish() }).openapi({ example: { email: 'ada@example.com', data: { full_name: 'Ada Baker' } } });
const linkBody = z
  .object({
    type: z.string().max(40).openapi({ description: 'signup, invite, magiclink, recovery, email_change_current or email_change_new' }),
    email,
    password: z.string().max(1024).nullish(),
    data: metadata.nullish(),
    new_email: email.nullish(),
    redirect_to: z.string().max(2048).nullish(),
  })
  .openapi({ example: { type: 'recovery', email: 'ada@example.com' } });
const redirectQuery = z.object({ redirect_to: z.string().optional() });

describeRoutes(
  'auth-admin',
  [
    ['get', `${AUTH}/admin/users`, 'Accounts, newest first, a page at a time (total in X-Total-Count, pages in Link)', undefined, { query: listQuery }],
    ['post', `${AUTH}/admin/users`, 'Create an account with its founder profile', userAttributes],
    ['get', `${AUTH}/admin/users/{id}`, 'One account', undefined],
    ['put', `${AUTH}/admin/users/{id}`, 'Change an account: metadata merged (null removes a key), email applied at once, ban, password (ends its sessions)', userAttributes],
    ['delete', `${AUTH}/admin/users/{id}`, "Delete an account as its founder would (should_soft_delete keeps the account row)", deleteBody],
    ['get', `${AUTH}/admin/users/{id}/factors`, "An account's MFA factors: always none here", undefined],
    ['delete', `${AUTH}/admin/users/{id}/factors/{factorId}`, 'Delete an MFA factor: 404, there are none', undefined],
    ['post', `${AUTH}/invite`, 'Invite an address: an account without a password, and a mail whose link confirms it', inviteBody, { query: redirectQuery }],
    ['post', `${AUTH}/admin/generate_link`, 'The link and code a mail of the type would carry, returned with the user and not sent', linkBody, { query: redirectQuery }],
  ],
  { bearer: false, serviceRole: true },
);

/** GoTrue's `requireAdmin`: 401 without a bearer, 403 bad_jwt for one that does not verify, 403 not_admin otherwise. */
export function requireServiceRole(config: Pick<GatewayConfig, 'JWT_SECRET' | 'SERVICE_ROLE_KEY'>): RequestHandler {
  return async (req, _res, next) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!token) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
    const claims = await verifyBearerClaims(token, config.JWT_SECRET);
    if (!config.SERVICE_ROLE_KEY || claims.role !== SERVICE_ROLE) throw new AuthError(403, 'not_admin', 'User not allowed');
    next();
  };
}

const nonNull = <T extends object>(body: T) =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null && value !== undefined)) as { [K in keyof T]?: Exclude<T[K], null> };
const redirectOf = (req: Request) => (typeof req.query.redirect_to === 'string' ? req.query.redirect_to : undefined);

/** GoTrue answers a malformed id in the path with 404 validation_failed. */
function pathUuid(req: Request, name: 'id' | 'factorId', label: string): string {
  const value = req.params[name];
  if (!z.uuid().safeParse(value).success) throw new AuthError(404, 'validation_failed', `${label} must be an UUID`);
  return value as string;
}

/** The admin routes, mounted by the auth router (its CORS, JSON body, API version and GoTrue errors apply). */
export function adminRouter(admin: AuthAdmin, config: GatewayConfig): Router {
  const router = express.Router();
  const serviceRole = requireServiceRole(config);

  router.post('/invite', serviceRole, async (req, res) => {
    const body = parseAuthInput(inviteBody, req.body);
    res.json(serializeUser(await admin.invite({ email: body.email, data: body.data ?? undefined, redirectTo: redirectOf(req) }, req.correlationId)));
  });

  router.use('/admin', serviceRole);

  router.get('/admin/users', async (req, res) => {
    const given = Object.fromEntries(Object.entries(req.query).filter(([, value]) => value !== ''));
    const query = parseAuthInput(listQuery, given);
    const page = query.page ?? 1;
    const perPage = query.per_page ?? 50;
    const { users, total } = await admin.listUsers(page, perPage);
    // GoTrue's headers, page first in each link: auth-js reads the page number right after the first `=`.
    const pages = Math.ceil(total / perPage);
    const at = (n: number) => `<${req.baseUrl}${req.path}?page=${n}&per_page=${perPage}>`;
    res.set('X-Total-Count', String(total));
    res.set('Link', [...(pages > page ? [`${at(page + 1)}; rel="next"`] : []), `${at(pages)}; rel="last"`].join(', '));
    res.json({ users: users.map(serializeUser), aud: 'authenticated' });
  });

  router.post('/admin/users', async (req, res) => {
    res.json(serializeUser(await admin.createUser(attributesOf(req.body))));
  });

  router.get('/admin/users/:id', async (req, res) => {
    res.json(serializeUser(await admin.getUser(pathUuid(req, 'id', 'user_id'))));
  });

  router.put('/admin/users/:id', async (req, res) => {
    const id = pathUuid(req, 'id', 'user_id');
    res.json(serializeUser(await admin.updateUserById(id, attributesOf(req.body))));
  });

  router.delete('/admin/users/:id', async (req, res) => {
    const id = pathUuid(req, 'id', 'user_id');
    const body = parseAuthInput(deleteBody, req.body);
    await admin.deleteUser(id, body.should_soft_delete ?? false);
    res.json({});
  });

  // No MFA here: every account has no factors, so none can be found to delete.
  router.get('/admin/users/:id/factors', async (req, res) => {
    await admin.getUser(pathUuid(req, 'id', 'user_id'));
    res.json([]);
  });

  router.delete('/admin/users/:id/factors/:factorId', async (req) => {
    await admin.getUser(pathUuid(req, 'id', 'user_id'));
    pathUuid(req, 'factorId', 'factor_id');
    throw new AuthError(404, 'mfa_factor_not_found', 'Factor not found');
  });

  router.post('/admin/generate_link', async (req, res) => {
    const body = parseAuthInput(linkBody, req.body);
    const { user, properties } = await admin.generateLink({
      type: body.type,
      email: body.email,
      password: body.password ?? undefined,
      data: body.data ?? undefined,
      newEmail: body.new_email ?? undefined,
      redirectTo: redirectOf(req) ?? body.redirect_to ?? undefined,
    });
    // GoTrue's shape: the user's fields and the link's side by side.
    res.json({ ...serializeUser(user), ...properties });
  });

  // The rest of GoTrue's admin API (SSO providers, OAuth clients, custom providers, passkeys, audit) is not served.
  router.all('/admin/*rest', () => {
    throw new AuthError(404, 'not_found', 'This admin endpoint is not available here');
  });

  return router;
}

function attributesOf(body: unknown): AdminUserAttributes {
  const { id: _id, password_hash: _hash, role: _role, ...attributes } = nonNull(parseAuthInput(userAttributes, body));
  return attributes;
}
