import type { FounderEventPublisher, JobHandlers } from '@dreamseed/platform';
import type { Mailer } from '../auth/mailer';
import type { AuthService } from '../auth/service';
import type { GatewayDb } from '../db/client';
import { FormationReports } from '../formation/reports';
import type { FormationDeps } from '../formation/store';
import { FounderAttentionReports } from '../operator/attention';
import { ProfileUpdates } from './profile';

/** One handler per job of the `gateway` queue (the catalog is in libs/contracts). */
export function gatewayJobHandlers(
  deps: { auth: AuthService; mailer: Mailer; db: GatewayDb; events: FounderEventPublisher } & Pick<FormationDeps, 'producer' | 'logger' | 'config'>,
): JobHandlers<'gateway'> {
  const profile = new ProfileUpdates(deps.db, deps.events);
  const attention = new FounderAttentionReports(deps.db);
  const formation = new FormationReports(deps);
  return {
    'profile-call-completed': (p, c) => profile.callCompleted(p, c),
    'profile-next-call-scheduled': (p, c) => profile.nextCallScheduled(p, c),
    'profile-business-facts': (p, c) => profile.businessFacts(p, c),
    'profile-analysis-ready': (p, c) => profile.analysisReady(p, c),
    'profile-domain-selected': async (p, c) => {
      const applied = await profile.domainSelected(p, c);
      // Kept for the formation case whatever the profile made of it (a duplicate may follow a failed first try).
      await formation.domainChosen(p, c);
      return applied;
    },
    'profile-payment-updated': (p, c) => profile.paymentUpdated(p, c),
    'profile-status-changed': (p, c) => profile.statusChanged(p, c),
    'founder-attention': (p, c) => attention.apply(p, c),
    'formation-package-paid': (p, c) => formation.packagePaid(p, c),
    'profile-domain-registered': (p, c) => formation.domainRegistered(p, c),
    'auth-mail-send': ({ mailId }, { lastAttempt }) => deps.auth.deliverMail(mailId, (mail) => deps.mailer.send(mail), deps.mailer.kind, lastAttempt),
  };
}
