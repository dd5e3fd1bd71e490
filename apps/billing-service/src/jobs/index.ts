import { acknowledgeOnly, type JobHandlers } from '@dreamseed/platform';

/** One handler per job of the `billing` queue (the catalog is in libs/contracts). */
export function billingJobHandlers(): JobHandlers<'billing'> {
  return {
    'stripe-event': acknowledgeOnly('#8'),
    'confirm-local-checkout': acknowledgeOnly('#8'),
    'cancel-subscription': acknowledgeOnly('#8'),
    'expire-subscriptions': acknowledgeOnly('#8'),
  };
}
