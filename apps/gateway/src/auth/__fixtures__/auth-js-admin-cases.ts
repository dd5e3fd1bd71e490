import { randomBytes, randomInt } from 'node:crypto';
import type { GenerateLinkProperties, GoTrueAdminApi, GoTrueClient, User } from '@supabase/auth-js';
import { uniqueEmail } from '../../__fixtures__/test-gateway';

/**
 * The admin cases of auth-js's own suite, ported to run against a gateway: `describe('GoTrueAdminApi')` in
 * supabase/supabase-js packages/core/auth-js/test/GoTrueApi.test.ts (commit 381bded5, auth-js 2.109's tests),
 * whose clients (test/lib/clients.ts) are a `GoTrueAdminApi` with the service-role key as apikey and bearer, and
 * a `GoTrueClient` that keeps its session. Each case keeps its name, its calls and its expectations; only the data
 * helpers (faker there) are ours. Cases that need what the platform does not offer are listed, with why, and
 * skipped; a case expected to fail says so (`it.failing`), so that it is noticed when it starts to pass.
 */
export interface AuthJsClients {
  serviceRoleApiClient: GoTrueAdminApi;
  authClientWithSession: GoTrueClient;
}

/** Their cases that cannot apply here, by describe block and name. */
export const NOT_APPLICABLE: Record<string, string> = {
  'verifyOtp() with non-existent phone number': "type 'sms' is signing in by phone, which the platform does not offer (numbers are confirmed with phone_change)",
  'verifyOTP() with invalid phone number': "type 'sms' is signing in by phone, which the platform does not offer",
  'mfa factor management: add, list and delete': 'needs MFA enrolment (mfa.enroll): the platform has no factors',
  'OAuth Admin': 'the OAuth 2.1 server (/admin/oauth/clients) is not offered: its eight cases are not applicable',
};

/** Known to fail, and why. */
export const EXPECTED_TO_FAIL: Record<string, string> = {
};

const INVALID_EMAIL = 'xx:;x@x.x';
const NON_EXISTANT_USER_ID = '83fd9e20-7a80-46e4-bf29-a86e3d6bbf66';

// Their test/lib/utils.ts, without faker.
const mockUserCredentials = (options?: { email?: string; password?: string }) => ({
  email: options?.email ?? uniqueEmail('authjs'),
  phone: `1${String(Date.now()).slice(-10)}`,
  password: options?.password ?? randomBytes(12).toString('base64url'),
});
const mockVerificationOTP = () => String(randomInt(100000, 1000000));
const mockUserMetadata = () => ({ profile_image: `https://avatars.githubusercontent.com/u/${randomInt(1, 100_000_000)}` });
const mockAppMetadata = () => ({ roles: ['editor', 'publisher'] });

/** Registers the ported cases; `clients` is read when each case runs (the gateway starts in the spec's beforeAll). */
export function describeAuthJsAdminCases(clients: () => AuthJsClients): void {
  const admin = () => clients().serviceRoleApiClient;
  const withSession = () => clients().authClientWithSession;
  const createNewUserWithEmail = ({ email, password }: { email?: string; password?: string }) => {
    const { email: newEmail, password: newPassword } = mockUserCredentials({ email, password });
    return admin().createUser({ email: newEmail, password: newPassword, user_metadata: {} });
  };
  const test = (name: string, run: () => Promise<void>) => {
    if (NOT_APPLICABLE[name]) it.skip(`${name} (not applicable: ${NOT_APPLICABLE[name]})`, run);
    else if (EXPECTED_TO_FAIL[name]) it.failing(`${name} (expected to fail: ${EXPECTED_TO_FAIL[name]})`, run);
    else it(name, run);
  };

  describe('GoTrueAdminApi (auth-js test/GoTrueApi.test.ts)', () => {
    describe('User creation', () => {
      test('createUser() should create a new user', async () => {
        const { email } = mockUserCredentials();
        const { error, data } = await createNewUserWithEmail({ email });
        expect(error).toBeNull();
        expect(data.user?.email).toEqual(email);
      });

      test('createUser() with user metadata', async () => {
        const user_metadata = mockUserMetadata();
        const { email, password } = mockUserCredentials();
        const { error, data } = await admin().createUser({ email, password, user_metadata });
        expect(error).toBeNull();
        expect(data.user?.email).toEqual(email);
        expect(data.user?.user_metadata).toEqual(user_metadata);
        expect(data.user?.user_metadata).toHaveProperty('profile_image');
        expect(data.user?.user_metadata?.profile_image).toMatch(/^https:\/\/avatars\..+/);
      });

      test('createUser() with app metadata', async () => {
        const app_metadata = mockAppMetadata();
        const { email, password } = mockUserCredentials();
        const { error, data } = await admin().createUser({ email, password, app_metadata });
        expect(error).toBeNull();
        expect(data.user?.email).toEqual(email);
        expect(data.user?.app_metadata).toHaveProperty('provider');
        expect(data.user?.app_metadata).toHaveProperty('providers');
      });

      test('createUser() with user and app metadata', async () => {
        const user_metadata = mockUserMetadata();
        const app_metadata = mockAppMetadata();
        const { email, password } = mockUserCredentials();
        const { error, data } = await admin().createUser({ email, password, app_metadata, user_metadata });
        expect(error).toBeNull();
        expect(data.user?.email).toEqual(email);
        expect(data.user?.user_metadata).toHaveProperty('profile_image');
        expect(data.user?.user_metadata?.profile_image).toMatch(/^https:\/\/avatars\..+/);
        expect(data.user?.app_metadata).toHaveProperty('provider');
        expect(data.user?.app_metadata).toHaveProperty('providers');
      });

      test('createUser() returns AuthError when email is invalid', async () => {
        const { error, data } = await admin().createUser({ email: INVALID_EMAIL, password: 'password123' });
        expect(error).not.toBeNull();
        expect(error?.message).toMatch('Unable to validate email address: invalid format');
        expect(data.user).toBeNull();
      });
    });

    describe('List users', () => {
      test('listUsers() should return registered users', async () => {
        const { email } = mockUserCredentials();
        const { error: createError, data: createdUser } = await createNewUserWithEmail({ email });
        expect(createError).toBeNull();
        expect(createdUser.user).not.toBeUndefined();
        const { error: listUserError, data: userList } = await admin().listUsers();
        expect(listUserError).toBeNull();
        expect(userList).toHaveProperty('users');
        expect(userList).toHaveProperty('aud');
        const emails = userList.users?.map((user: User) => user.email) || [];
        expect(emails.length).toBeGreaterThan(0);
        expect(emails).toContain(email);
      });

      test('listUsers() returns AuthError when page is invalid', async () => {
        const { error, data } = await admin().listUsers({ page: -1, perPage: 10 });
        expect(error).not.toBeNull();
        expect(data.users).toEqual([]);
      });
    });

    describe('Get user', () => {
      test('getUser() fetches a user by their access_token', async () => {
        const { email, password } = mockUserCredentials();
        const { error: initialError, data } = await withSession().signUp({ email, password });
        expect(initialError).toBeNull();
        expect(data.session).not.toBeNull();
        const {
          error,
          data: { user },
        } = await withSession().getUser();
        expect(error).toBeNull();
        expect(user).not.toBeUndefined();
        expect(user?.email).toEqual(email);
      });

      test('getUserById() should a registered user given its user identifier', async () => {
        const { email } = mockUserCredentials();
        const { error: createError, data: createdUser } = await createNewUserWithEmail({ email });
        expect(createError).toBeNull();
        expect(createdUser.user).not.toBeUndefined();
        const uid = createdUser.user?.id || '';
        expect(uid).toBeTruthy();
        const { error: foundError, data: foundUser } = await admin().getUserById(uid);
        expect(foundError).toBeNull();
        expect(foundUser).not.toBeUndefined();
        expect(foundUser.user?.email).toEqual(email);
      });

      test('getUserById() returns AuthError when user id is invalid', async () => {
        const { error, data } = await admin().getUserById(NON_EXISTANT_USER_ID);
        expect(error).not.toBeNull();
        expect(data.user).toBeNull();
      });
    });

    describe('User updates', () => {
      test('modify email using updateUserById()', async () => {
        const { email } = mockUserCredentials();
        const { error: createError, data: createdUser } = await createNewUserWithEmail({ email });
        expect(createError).toBeNull();
        expect(createdUser.user).not.toBeUndefined();
        const uid = createdUser.user?.id || '';
        const attributes = { email: `new_${createdUser.user?.email}` };
        const { error: updatedError, data: updatedUser } = await admin().updateUserById(uid, attributes);
        expect(updatedError).toBeNull();
        expect(updatedError).not.toBeUndefined();
        expect(updatedUser.user?.email).toEqual(`new_${createdUser.user?.email}`);
      });

      test('modify user metadata using updateUserById()', async () => {
        const { email } = mockUserCredentials();
        const { error: createError, data: createdUser } = await createNewUserWithEmail({ email });
        expect(createError).toBeNull();
        expect(createdUser.user).not.toBeUndefined();
        const uid = createdUser.user?.id || '';
        const userMetaData = { favorite_color: 'yellow' };
        const { error: updatedError, data: updatedUser } = await admin().updateUserById(uid, { user_metadata: userMetaData });
        expect(updatedError).toBeNull();
        expect(updatedError).not.toBeUndefined();
        expect(updatedUser.user?.email).toEqual(email);
        expect(updatedUser.user?.user_metadata).toEqual(userMetaData);
      });

      test('modify app metadata using updateUserById()', async () => {
        const { email } = mockUserCredentials();
        const { error: createError, data: createdUser } = await createNewUserWithEmail({ email });
        expect(createError).toBeNull();
        expect(createdUser.user).not.toBeUndefined();
        const uid = createdUser.user?.id || '';
        const appMetadata = { roles: ['admin', 'publisher'] };
        const { error: updatedError, data: updatedUser } = await admin().updateUserById(uid, { app_metadata: appMetadata });
        expect(updatedError).toBeNull();
        expect(updatedError).not.toBeUndefined();
        expect(updatedUser.user?.email).toEqual(email);
        expect(updatedUser.user?.app_metadata).toHaveProperty('roles');
      });

      test('modify confirm email using updateUserById()', async () => {
        const { email, password } = mockUserCredentials();
        const { error: createError, data } = await admin().createUser({ email, password, email_confirm: false });
        expect(createError).toBeNull();
        expect(data.user).not.toBeUndefined();
        expect(data.user?.email_confirmed_at).toBeFalsy();
        const uid = data.user?.id || '';
        const { error: updatedError, data: updatedUser } = await admin().updateUserById(uid, { email_confirm: true });
        expect(updatedError).toBeNull();
        expect(updatedUser).not.toBeUndefined();
        expect(updatedUser.user).toHaveProperty('email_confirmed_at');
        expect(updatedUser.user?.email_confirmed_at).toBeTruthy();
      });
    });

    describe('User deletes', () => {
      test('deleteUser() should be able delete an existing user', async () => {
        const { email } = mockUserCredentials();
        const { error: createError, data: createdUser } = await createNewUserWithEmail({ email });
        expect(createError).toBeNull();
        expect(createdUser.user).not.toBeUndefined();
        const uid = createdUser.user?.id || '';
        const { error: deletedError, data: deletedUser } = await admin().deleteUser(uid);
        expect(deletedError).toBeNull();
        expect(deletedError).not.toBeUndefined();
        expect(deletedUser.user).not.toBeUndefined();
        const { error: listUserError, data } = await admin().listUsers();
        expect(listUserError).toBeNull();
        const emails = data.users?.map((user) => user.email) || [];
        expect(emails.length).toBeGreaterThan(0);
        expect(emails).not.toContain(email);
      });

      test('deleteUser() returns AuthError when user id is invalid', async () => {
        const { error, data } = await admin().deleteUser(NON_EXISTANT_USER_ID);
        expect(error).not.toBeNull();
        expect(data.user).toBeNull();
      });
    });

    describe('User registration', () => {
      test('generateLink supports signUp with generate confirmation signup link', async () => {
        const { email, password } = mockUserCredentials();
        const redirectTo = 'http://localhost:9999/welcome';
        const userMetadata = { status: 'alpha' };
        const { error, data } = await admin().generateLink({ type: 'signup', email, password, options: { data: userMetadata, redirectTo } });
        const properties = data.properties as GenerateLinkProperties;
        const user = data.user as User;
        expect(error).toBeNull();
        expect(user).not.toBeNull();
        expect(user).toHaveProperty('email');
        expect(user).toHaveProperty('user_metadata');
        expect(user?.['user_metadata']).toEqual(userMetadata);
        expect(properties).not.toBeNull();
        expect(properties).toHaveProperty('action_link');
        expect(properties).toHaveProperty('email_otp');
        expect(properties).toHaveProperty('hashed_token');
        expect(properties).toHaveProperty('redirect_to');
        expect(properties).toHaveProperty('verification_type');
        expect(properties?.['action_link']).toMatch(/\?token/);
        expect(properties?.['action_link']).toMatch(/type=signup/);
        expect(properties?.['action_link']).toMatch(/redirect_to=/);
      });

      test('generateLink supports updating emails with generate email change links', async () => {
        const { email } = mockUserCredentials();
        const { data: createdUser, error: createError } = await createNewUserWithEmail({ email });
        expect(createError).toBeNull();
        expect(createdUser).not.toBeNull();
        const { email: newEmail } = mockUserCredentials();
        const redirectTo = 'http://localhost:9999/welcome';
        const { data, error } = await admin().generateLink({ type: 'email_change_current', email, newEmail, options: { redirectTo } });
        const properties = data.properties as GenerateLinkProperties;
        const user = data.user as User;
        expect(error).toBeNull();
        expect(user).not.toBeNull();
        expect(user).toHaveProperty('email');
        expect(user).toHaveProperty('new_email');
        expect(user).toHaveProperty('user_metadata');
        expect(user?.new_email).toEqual(newEmail);
        expect(properties).not.toBeNull();
        expect(properties).toHaveProperty('action_link');
        expect(properties).toHaveProperty('email_otp');
        expect(properties).toHaveProperty('hashed_token');
        expect(properties).toHaveProperty('redirect_to');
        expect(properties).toHaveProperty('verification_type');
        expect(properties?.['action_link']).toMatch(/\?token/);
        expect(properties?.['action_link']).toMatch(/type=email_change/);
        expect(properties?.['action_link']).toMatch(/redirect_to=/);
      });

      test('inviteUserByEmail() creates a new user with an invited_at timestamp', async () => {
        const { email } = mockUserCredentials();
        const redirectTo = 'http://localhost:9999/welcome';
        const userMetadata = { status: 'alpha' };
        const { error, data } = await admin().inviteUserByEmail(email, { data: userMetadata, redirectTo });
        expect(error).toBeNull();
        expect(data.user).not.toBeNull();
        expect(data.user).toHaveProperty('invited_at');
        expect(data.user?.invited_at).toBeDefined();
      });

      test('inviteUserByEmail() returns AuthError when email is invalid', async () => {
        const { error, data } = await admin().inviteUserByEmail(INVALID_EMAIL);
        expect(error).not.toBeNull();
        expect(error?.message).toMatch('Unable to validate email address: invalid format');
        expect(data.user).toBeNull();
      });

      test('generateLink() returns AuthError when email is invalid', async () => {
        const { error, data } = await admin().generateLink({ type: 'signup', email: INVALID_EMAIL, password: 'password123' });
        expect(error).not.toBeNull();
        expect(error?.message).toMatch('Unable to validate email address: invalid format');
        expect(data.user).toBeNull();
        expect(data.properties).toBeNull();
      });
    });

    describe('User authentication', () => {
      describe('signOut()', () => {
        test('signOut() with an valid access token', async () => {
          const { email, password } = mockUserCredentials();
          const { error: initialError, data } = await withSession().signUp({ email, password });
          expect(initialError).toBeNull();
          expect(data.session).not.toBeNull();
          const { error } = await admin().signOut(data.session?.access_token || '');
          expect(error).toBeNull();
        });

        test('signOut() with an invalid access token', async () => {
          const { error } = await admin().signOut('this-is-a-bad-token');
          expect(error?.message).toMatch(/^invalid JWT/);
        });

        test('signOut() fails with invalid scope', async () => {
          const { email, password } = mockUserCredentials();
          const { error: signUpError } = await withSession().signUp({ email, password });
          expect(signUpError).toBeNull();
          const {
            data: { session },
            error,
          } = await withSession().signInWithPassword({ email, password });
          expect(error).toBeNull();
          expect(session).not.toBeNull();
          await expect(withSession().signOut({ scope: 'invalid_scope' as never })).rejects.toThrow(
            '@supabase/auth-js: Parameter scope must be one of global, local, others',
          );
        });
      });
    });

    describe('Email/Phone Otp Verification', () => {
      describe('GoTrueClient verifyOtp()', () => {
        test('verifyOtp() with non-existent phone number', async () => {
          const { phone } = mockUserCredentials();
          const otp = mockVerificationOTP();
          const {
            data: { user },
            error,
          } = await withSession().verifyOtp({ phone: `${phone}`, token: otp, type: 'sms' });
          expect(user).toBeNull();
          expect(error?.message).toEqual('Token has expired or is invalid');
          expect(error?.status).toEqual(403);
        });

        test('verifyOTP() with invalid phone number', async () => {
          const { phone } = mockUserCredentials();
          const otp = mockVerificationOTP();
          const {
            data: { user },
            error,
          } = await withSession().verifyOtp({ phone: `${phone}-invalid`, token: otp, type: 'sms' });
          expect(user).toBeNull();
          expect(error?.message).toEqual('Invalid phone number format (E.164 required)');
        });
      });
    });

    describe('Update User', () => {
      test('updateUserById() returns AuthError when user id is invalid', async () => {
        const { error, data } = await admin().updateUserById(NON_EXISTANT_USER_ID, { email: 'new@email.com' });
        expect(error).not.toBeNull();
        expect(data.user).toBeNull();
      });
    });

    describe('MFA Admin', () => {
      test('mfa factor management: add, list and delete', async () => {
        // Needs authClientWithSession.mfa.enroll({ factorType: 'totp' }): see NOT_APPLICABLE.
      });

      test('mfa.listFactors returns AuthError for invalid user', async () => {
        const { data, error } = await admin().mfa.listFactors({ userId: NON_EXISTANT_USER_ID });
        expect(data).toBeNull();
        expect(error).not.toBeNull();
      });

      test('mfa.deleteFactors returns AuthError for invalid user', async () => {
        const { data, error } = await admin().mfa.deleteFactor({ userId: NON_EXISTANT_USER_ID, id: NON_EXISTANT_USER_ID });
        expect(data).toBeNull();
        expect(error).not.toBeNull();
      });
    });

    describe('OAuth Admin', () => {
      test('OAuth Admin', async () => {
        // Client lifecycle, listing, secret regeneration, errors and edge cases: see NOT_APPLICABLE.
      });
    });
  });
}
