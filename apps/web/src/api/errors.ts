import { isAuthError } from '@supabase/auth-js';

/** An answer of the founder API that was not a success, in its one error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static from(response: Response, body: unknown): ApiError {
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    const retryAfter = Number(response.headers.get('retry-after'));
    return new ApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : `http_${response.status}`,
      typeof error?.message === 'string' ? error.message : '',
      error?.details,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
}

/** What the founder reads about a failure: a short title, what happened, and whether trying again can help. */
export interface Problem {
  title: string;
  message: string;
  retryable: boolean;
  /** The request never reached DreamSeed (offline, DNS, a dropped connection). */
  offline?: boolean;
}

const isNetworkFailure = (error: unknown) => error instanceof TypeError || (error instanceof DOMException && error.name === 'NetworkError');

/** Words for auth-js's codes where its own message is written for developers. */
const AUTH_WORDS: Record<string, string> = {
  invalid_credentials: 'That email and password do not match. Check them, or reset your password.',
  email_not_confirmed: 'Please confirm your email first: open the link we sent you.',
  user_already_exists: 'There is already an account with this email. Sign in instead, or reset your password.',
  email_exists: 'There is already an account with this email. Sign in instead, or reset your password.',
  weak_password: 'Please choose a longer password.',
  same_password: 'Your new password must differ from the old one.',
  otp_expired: 'That code or link has expired. Ask for a new one.',
  over_request_rate_limit: 'Too many tries. Please wait a little, then try again.',
  over_email_send_rate_limit: 'We have sent several mails already. Please wait a while before asking again.',
  over_sms_send_rate_limit: 'We have sent several codes already. Please wait a while before asking again.',
  phone_exists: 'This number belongs to another account.',
};

const seconds = (n: number) => (n === 1 ? '1 second' : `${n} seconds`);

/** Turns any failure (the API's, auth-js's, the network's, a bug) into words for the founder. */
export function describeError(error: unknown): Problem {
  if (isNetworkFailure(error)) {
    return {
      title: 'No connection',
      message: 'We could not reach DreamSeed. Check your internet connection, then try again.',
      retryable: true,
      offline: true,
    };
  }
  if (error instanceof ApiError) return describeApiError(error);
  if (isAuthError(error)) {
    const code = error.code ?? '';
    if (error.name === 'AuthRetryableFetchError') return describeError(new TypeError(error.message));
    return {
      title: 'That did not work',
      message: AUTH_WORDS[code] ?? (error.message || 'Something went wrong with your account. Please try again.'),
      retryable: error.status === undefined || error.status >= 500 || error.status === 429,
    };
  }
  return {
    title: 'Something went wrong',
    message: 'Something unexpected happened on this page. Please try again; if it keeps happening, reload the page.',
    retryable: true,
  };
}

function describeApiError(error: ApiError): Problem {
  const said = error.message;
  if (error.status === 401) {
    return { title: 'Please sign in again', message: 'Your session has ended. Sign in again to carry on.', retryable: false };
  }
  if (error.status === 429) {
    const wait = error.retryAfterSeconds ? ` Try again in ${seconds(error.retryAfterSeconds)}.` : ' Please wait a moment, then try again.';
    return { title: 'Too many requests', message: `${said || 'You are going a little fast.'}${wait}`, retryable: true };
  }
  if (error.status === 503) {
    return {
      title: 'Busy right now',
      message: `${said ? `${said} ` : ''}Nothing was changed. Please try again in a moment.`,
      retryable: true,
    };
  }
  if (error.status >= 500) {
    return {
      title: 'Something went wrong on our side',
      message: `${said ? `${said} ` : ''}Please try again; if it keeps happening, come back a little later.`,
      retryable: true,
    };
  }
  return { title: error.status === 404 ? 'Not found' : 'That did not work', message: said || 'The request was not accepted.', retryable: false };
}
