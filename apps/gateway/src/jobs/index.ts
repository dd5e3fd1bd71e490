import { acknowledgeOnly, type JobHandlers } from '@dreamseed/platform';
import type { Mailer } from '../auth/mailer';
import type { AuthService } from '../auth/service';

/** One handler per job of the `gateway` queue (the catalog is in libs/contracts). */
export function gatewayJobHandlers(deps: { auth: AuthService; mailer: Mailer }): JobHandlers<'gateway'> {
  return {
    'profile-call-completed': acknowledgeOnly('#5'),
    'profile-next-call-scheduled': acknowledgeOnly('#5'),
    'profile-business-facts': acknowledgeOnly('#6'),
    'profile-analysis-ready': acknowledgeOnly('#6'),
    'profile-domain-selected': acknowledgeOnly('#7'),
    'profile-payment-updated': acknowledgeOnly('#8'),
    'profile-status-changed': acknowledgeOnly('#4'),
    'auth-mail-send': ({ mailId }) => deps.auth.deliverMail(mailId, (mail) => deps.mailer.send(mail), deps.mailer.kind),
  };
}
