import express, { type Request, type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { E164 } from '@dreamseed/contracts';
import { AppError } from '@dreamseed/platform';
import type { GatewayConfig } from '../config';
import { announceApiVersion } from '../http/api-version';
import { corsFor } from '../http/cors';
import { requireUser } from '../http/middleware';
import { describeRoutes } from '../http/openapi';
import { adminRouter } from './admin-routes';
import { authErrorMiddleware, invalidCredentials, noAuthorization, parseAuthInput as parse, validationFailed } from './errors';
import type { AuthService, ClientInfo, VerifyType } from './service';
import { serializeUser } from './serialize';

export const AUTH_PATH = '/auth/v1';

// Bodies as auth-js sends them: unknown fields (gotrue_meta_security, code_challenge, …) and nulls are ignored.
const email = z.email('Unable to validate email address: invalid format').max(255);
const metadata = z.record(z.string(), z.unknown());
// GoTrue takes numbers with or without the leading +; the platform keeps them in E.164.
const phone = z
  .string()
  .trim()
  .transform((value) => (value.startsWith('+') ? value : `+${value}`))
  .pipe(z.string().regex(E164, 'Invalid phone number format (E.164 required)'));
const signUpBody = z
  .object({ email, password: z.string().min(1, 'Signup requires a valid password'), data: metadata.nullish() })
  .openapi({ example: { email: 'ada@example.com', password: 'correct horse battery', data: { full_name: 'Ada Baker' } } });
const passwordGrantBody = z.object({ email: z.string().max(255), password: z.string().max(1024) }).openapi({ example: { email: 'ada@example.com', password: 'correct horse battery' } });
const refreshGrantBody = z.object({ refresh_token: z.string().max(1024) }).openapi({ example: { refresh_token: 'n3xkz8w1qa7p' } });
const updateUserBody = z.object({ email: email.nullish(), password: z.string().nullish(), phone: phone.nullish(), data: metadata.nullish() });
const emailBody = z.object({ email });
const resendBody = z.object({ email, type: z.enum(['signup', 'email_change']) });
const verifyTypes = z.enum(['signup', 'invite', 'recovery', 'magiclink', 'email', 'email_change', 'phone_change']);
const verifyBody = z.object({
  type: verifyTypes,
  email: email.nullish(),
  phone: phone.nullish(),
  token: z.string().max(64).nullish(),
  token_hash: z.string().max(128).nullish(),
}).openapi({ example: { type: 'phone_change', phone: '+15125550100', token: '123456' } });
const logoutScope = z.enum(['global', 'local', 'others']).default('global');

describeRoutes(
  'auth (Supabase-compatible)',
  [
    ['post', `${AUTH_PATH}/signup`, 'Sign up: a session when confirmation is off, else the user and a mailed code', signUpBody],
    [
      'post',
      `${AUTH_PATH}/token`,
      'Sign in with email and password (grant_type=password), or exchange a refresh token, single use and rotated (grant_type=refresh_token)',
      z.union([passwordGrantBody, refreshGrantBody]),
      { query: z.object({ grant_type: z.enum(['password', 'refresh_token']) }) },
    ],
    ['post', `${AUTH_PATH}/recover`, 'Mail a password-recovery code and link', emailBody],
    ['post', `${AUTH_PATH}/resend`, 'Mail a confirmation again', resendBody],
    ['post', `${AUTH_PATH}/verify`, 'Confirm a mailed code (email + token), a texted one (type phone_change, phone + token) or a link (token_hash)', verifyBody],
    ['get', `${AUTH_PATH}/settings`, 'What this auth server allows', undefined],
  ],
  { bearer: false },
);
describeRoutes(
  'auth (Supabase-compatible)',
  [
    ['get', `${AUTH_PATH}/user`, 'The signed-in user', undefined],
    ['put', `${AUTH_PATH}/user`, 'Change email (confirmed by mail), phone (confirmed by a texted code), password or metadata', updateUserBody],
    ['post', `${AUTH_PATH}/logout`, 'End sessions: every one (global, the default), this one (local) or the others', undefined, { query: z.object({ scope: logoutScope.optional() }) }],
  ],
  { bearer: true },
);

const clientOf = (req: Request): ClientInfo => ({ ip: req.ip ?? 'unknown', userAgent: req.get('user-agent'), correlationId: req.correlationId });
const redirectOf = (req: Request) => (typeof req.query.redirect_to === 'string' ? req.query.redirect_to : undefined);

/** Supabase Auth (GoTrue) at /auth/v1, as `@supabase/auth-js` expects it. */
/** What other parts of the gateway follow in the auth flows, after they succeed; a hook's failure never fails the flow. */
export interface AuthHooks {
  /** The account's phone number was confirmed (the profile's `customer_phone` is set). */
  phoneConfirmed?(authUserId: string, correlationId?: string): Promise<void>;
}

export function authRouter(service: AuthService, config: GatewayConfig, logger: Logger, hooks: AuthHooks = {}): Router {
  const router = express.Router();
  router.use(corsFor(config.CORS_ORIGINS));
  router.use(announceApiVersion());
  router.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] }));
  const authenticated = requireUser(service);

  router.get('/health', (_req, res) => {
    res.json({ version: config.APP_VERSION, name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' });
  });

  router.get('/settings', (_req, res) => {
    res.json({
      // Phone numbers can be confirmed on an account, but they are no way to sign up or sign in.
      external: { email: true, phone: false, anonymous_users: false },
      disable_signup: config.AUTH_DISABLE_SIGNUP,
      mailer_autoconfirm: config.AUTH_AUTOCONFIRM,
      phone_autoconfirm: config.AUTH_PHONE_AUTOCONFIRM,
      sms_provider: config.TWILIO_ACCOUNT_SID ? 'twilio' : '',
      saml_enabled: false,
    });
  });

  router.post('/signup', async (req, res) => {
    const body = parse(signUpBody, req.body);
    res.json(await service.signUp({ email: body.email, password: body.password, data: body.data ?? {}, redirectTo: redirectOf(req) }, clientOf(req)));
  });

  router.post('/token', async (req, res) => {
    const grant = req.query.grant_type;
    if (grant === 'password') {
      const body = parse(passwordGrantBody, req.body);
      res.json(await service.signInWithPassword(body, clientOf(req)));
    } else if (grant === 'refresh_token') {
      const body = parse(refreshGrantBody, req.body);
      res.json(await service.refresh(body.refresh_token, clientOf(req)));
    } else {
      throw invalidCredentials();
    }
  });

  router.get('/user', authenticated, (req, res) => {
    res.json(serializeUser(currentUser(req).user));
  });

  const followPhone = (user: { id?: unknown; phone?: unknown; phone_confirmed_at?: unknown }, correlationId?: string) => {
    if (!hooks.phoneConfirmed || typeof user.id !== 'string' || !user.phone || !user.phone_confirmed_at) return Promise.resolve();
    return hooks.phoneConfirmed(user.id, correlationId).catch((error: unknown) => logger.warn({ err: error }, 'a confirmed phone could not be followed up'));
  };

  router.put('/user', authenticated, async (req, res) => {
    const body = parse(updateUserBody, req.body);
    const user = await service.updateUser(currentUser(req), {
      email: body.email ?? undefined,
      password: body.password ?? undefined,
      phone: body.phone ?? undefined,
      data: body.data,
      redirectTo: redirectOf(req),
    }, req.correlationId, clientOf(req).ip);
    // Numbers that confirm at once (AUTH_PHONE_AUTOCONFIRM) are confirmed here.
    if (body.phone) await followPhone(user as Record<string, unknown>, req.correlationId);
    res.json(user);
  });

  router.post('/logout', authenticated, async (req, res) => {
    const scope = logoutScope.safeParse(req.query.scope ?? undefined);
    if (!scope.success) throw validationFailed('Unsupported logout scope');
    await service.signOut(currentUser(req).claims, scope.data);
    res.status(204).end();
  });

  router.post('/recover', async (req, res) => {
    const body = parse(emailBody, req.body);
    await service.recover(body.email, clientOf(req), redirectOf(req));
    res.json({});
  });

  router.post('/resend', async (req, res) => {
    const body = parse(resendBody, req.body);
    await service.resend(body.type, body.email, clientOf(req), redirectOf(req));
    res.json({});
  });

  router.post('/verify', async (req, res) => {
    const body = parse(verifyBody, req.body);
    if (body.token_hash && (body.email || body.phone || body.token)) throw validationFailed('Only one of token_hash or token with email may be given');
    const verified = await service.verify(
      {
        type: body.type as VerifyType,
        email: body.email ?? undefined,
        phone: body.phone ?? undefined,
        token: body.token ?? undefined,
        tokenHash: body.token_hash ?? undefined,
      },
      clientOf(req),
    );
    if (body.type === 'phone_change') await followPhone(((verified as { user?: unknown }).user ?? {}) as Record<string, unknown>, req.correlationId);
    res.json(verified);
  });

  // Mail links: verify, then send the browser to redirect_to with the session (or the error) in the fragment.
  router.get('/verify', async (req, res) => {
    const target = service.allowedRedirect(redirectOf(req));
    const type = verifyTypes.safeParse(req.query.type);
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    try {
      if (!type.success || !token) throw validationFailed('Verify requires a token and a type');
      const session = await service.verify({ type: type.data, tokenHash: token }, clientOf(req));
      const fragment = new URLSearchParams({
        access_token: session.access_token,
        expires_at: String(session.expires_at),
        expires_in: String(session.expires_in),
        refresh_token: session.refresh_token,
        token_type: 'bearer',
        type: type.data,
      });
      res.redirect(303, `${target}#${fragment.toString()}`);
    } catch (error) {
      // Only our own errors are described: anything else (a database error quotes its statement's values, a new
      // email address among them) becomes a fixed text, and is logged without its data.
      const known = error instanceof AppError;
      if (!known) logger.error({ err: error }, 'email link verification failed');
      const fragment = new URLSearchParams({
        error: known ? 'access_denied' : 'server_error',
        error_code: known ? error.code : 'unexpected_failure',
        error_description: known ? error.message : 'The link could not be checked right now. Please try again.',
      });
      res.redirect(303, `${target}#${fragment.toString()}`);
    }
  });

  router.use(adminRouter(service.admin, config));
  router.use(authErrorMiddleware(logger));
  return router;
}

/** The caller checked by `requireUser`. */
function currentUser(req: Request): NonNullable<Request['auth']> {
  if (!req.auth) throw noAuthorization();
  return req.auth;
}
