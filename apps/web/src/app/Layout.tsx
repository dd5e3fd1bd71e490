import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { whenSessionLost } from '../api/client';
import { LiveUpdates, useLiveStatus } from '../live/LiveUpdates';
import { isOperator } from './RequireOperator';
import { onPasswordRecovery, useSession } from './session';

const NAV = [
  { to: '/', label: 'Overview', end: true },
  { to: '/calls', label: 'Consultations' },
  { to: '/dream-dna', label: 'Dream DNA' },
  { to: '/domains', label: 'Domain' },
  { to: '/formation', label: 'Formation' },
  { to: '/billing', label: 'Payment' },
  { to: '/profile', label: 'Profile' },
];
/** Staff only: founders never see it (and the API refuses them the pages' data anyway). */
const OPERATOR_NAV = { to: '/operator', label: 'Operators', end: false };

function LiveIndicator() {
  const status = useLiveStatus();
  // Quiet on purpose: the app works without the stream, pages just do not update by themselves.
  const words = status === 'live' ? 'Live updates on' : status === 'unavailable' ? 'Live updates unavailable' : 'Connecting live updates…';
  return (
    <p className={`live live-${status}`} aria-live="polite">
      {words}
    </p>
  );
}

/** Sends the founder to sign-in when their session ends, remembering the page they were on. */
function SessionGuards() {
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  useEffect(() => {
    whenSessionLost(() => {
      queryClient.clear();
      navigate(`/sign-in?next=${encodeURIComponent(`${window.location.pathname}${window.location.search}`)}&expired=1`, { replace: true });
    });
    return onPasswordRecovery(() => navigate('/reset-password', { replace: true }));
  }, [navigate, queryClient, location.key]);
  return null;
}

/** Every page: skip link, banner with the navigation when signed in, the main landmark, and the footer. */
export function Layout() {
  const session = useSession();
  const signedIn = session.status === 'signed-in';
  const nav = signedIn && isOperator(session.session) ? [...NAV, OPERATOR_NAV] : NAV;
  const body = (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="bar">
          <NavLink to="/" className="brand">
            DreamSeed
          </NavLink>
          {signedIn ? <LiveIndicator /> : null}
        </div>
        {signedIn ? (
          <nav aria-label="Main">
            <ul>
              {nav.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>DreamSeed helps you turn your idea into a formed business.</p>
      </footer>
      <SessionGuards />
    </>
  );
  return signedIn ? <LiveUpdates>{body}</LiveUpdates> : body;
}
