/**
 * Every page of the web app (apps/web/src/app/router.tsx), as the accessibility test visits it: where, which
 * h1 says it has loaded, and who is signed in: no one, a founder (`true`) or an operator. Path parts in braces are
 * filled from the signed-in founder's own data (`AppData`); the operator pages look at that founder. A new page is
 * one more line here.
 */
export type SignedIn = boolean | 'operator';

export interface AppPage {
  path: string;
  heading: string | RegExp;
  signedIn: SignedIn;
}

/** What a founder who has been through the journey has, for the pages whose paths name it. */
export interface AppData {
  call: string;
  checkout: string;
  /** Their profile id, as the operator pages name founders. */
  founder: string;
  /** Their formation case, opened by the formation package they paid. */
  case: string;
}

export const PAGES: AppPage[] = [
  { path: '/sign-in', heading: 'Sign in', signedIn: false },
  { path: '/sign-up', heading: 'Create your account', signedIn: false },
  { path: '/check-email?email=ada%40example.com', heading: 'Check your email', signedIn: false },
  { path: '/email-confirmed', heading: 'Your email is confirmed', signedIn: false },
  { path: '/forgot-password', heading: 'Reset your password', signedIn: false },
  { path: '/reset-password', heading: 'That link did not work', signedIn: false },
  { path: '/no-such-page', heading: 'Page not found', signedIn: false },
  { path: '/', heading: /^Hello/, signedIn: true },
  { path: '/calls', heading: 'Your consultations', signedIn: true },
  { path: '/calls/{call}', heading: /call transcript$/, signedIn: true },
  { path: '/dream-dna', heading: 'Your Dream DNA', signedIn: true },
  { path: '/dream-dna/questions', heading: 'A few questions', signedIn: true },
  { path: '/dream-dna/analyses', heading: 'Analysis runs', signedIn: true },
  { path: '/domains', heading: 'Your domain', signedIn: true },
  { path: '/formation', heading: 'Your formation', signedIn: true },
  { path: '/billing', heading: 'Payment', signedIn: true },
  { path: '/billing/checkout/{checkout}/confirm', heading: 'Confirm your payment', signedIn: true },
  { path: '/billing/success', heading: 'Thank you', signedIn: true },
  { path: '/billing/cancel', heading: 'No payment taken', signedIn: true },
  { path: '/profile', heading: 'Your profile', signedIn: true },
  { path: '/operator', heading: 'This part is for DreamSeed staff', signedIn: true },
  { path: '/operator', heading: 'Founder funnel', signedIn: 'operator' },
  { path: '/operator/stuck', heading: 'Stuck founders', signedIn: 'operator' },
  { path: '/operator/founders?q=Grace', heading: 'Founders', signedIn: 'operator' },
  { path: '/operator/founders/{founder}', heading: 'Grace Founder', signedIn: 'operator' },
  { path: '/operator/formation', heading: 'Formation cases', signedIn: 'operator' },
  { path: '/operator/formation/{case}', heading: 'Formation case of Grace Founder', signedIn: 'operator' },
  { path: '/operator/audit', heading: 'Audit log', signedIn: 'operator' },
  { path: '/operator/queues', heading: 'Queues', signedIn: 'operator' },
];

export const fillPath = (path: string, data: AppData) => path.replace(/\{(call|checkout|founder|case)\}/g, (_, key: keyof AppData) => data[key]);
