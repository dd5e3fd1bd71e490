import type { Session } from '@supabase/auth-js';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../ui/PageHeader';
import { RequireAuth } from './RequireAuth';
import { useSession } from './session';

const OPERATOR_ROLE = 'operator';

/**
 * Whether the signed-in account is staff: its app_metadata.role, which only the platform sets. This decides what the
 * app shows; the API checks the role itself on every /admin request, so nothing rests on this check.
 */
export const isOperator = (session: Session) => (session.user.app_metadata as { role?: unknown } | undefined)?.role === OPERATOR_ROLE;

function StaffOnly() {
  return (
    <>
      <PageHeader title="This part is for DreamSeed staff">These pages help our team look after founders. Your own pages are all in the menu above.</PageHeader>
      <p>
        <Link to="/">Go to your overview</Link>
      </p>
    </>
  );
}

function OperatorsOnly({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session.status !== 'signed-in') return null;
  return isOperator(session.session) ? <>{children}</> : <StaffOnly />;
}

/**
 * The operators' pages: signed out, to sign-in and back (as every signed-in page); a founder who finds the address
 * is told plainly that it is not for them.
 */
export function RequireOperator({ children }: { children: ReactNode }) {
  return (
    <RequireAuth>
      <OperatorsOnly>{children}</OperatorsOnly>
    </RequireAuth>
  );
}
