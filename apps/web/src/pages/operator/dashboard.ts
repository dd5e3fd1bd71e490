import { auth } from '../../api/auth';
import { openDashboardSession } from './api';

const DASHBOARD = '/admin/queues';

/** Whether this tab opened the dashboard: then its cookie is renewed with each new access token. */
let opened = false;

/**
 * Opens the queue dashboard in a new tab once its cookie is set (it holds the current access token, so it ends
 * when the token does); where the browser blocks the tab, here instead.
 */
export async function openQueueDashboard(): Promise<void> {
  await openDashboardSession();
  opened = true;
  const tab = window.open(DASHBOARD, '_blank');
  if (tab) tab.opener = null;
  else window.location.assign(DASHBOARD);
}

/**
 * While the operator pages are open, each refreshed token renews the dashboard's cookie, so that an open dashboard
 * tab keeps working. auth-js must not be called back from inside its own listener, hence the timeout.
 */
export function keepDashboardOpen(): () => void {
  const { data } = auth.onAuthStateChange((event) => {
    if (event === 'TOKEN_REFRESHED' && opened) setTimeout(() => void openDashboardSession().catch(() => undefined), 0);
  });
  return () => data.subscription.unsubscribe();
}
