import { Link } from 'react-router';
import { landingFragment } from '../../api/auth';
import { useSession } from '../../app/session';
import { PageHeader } from '../../ui/PageHeader';
import { Loading } from '../../ui/status';

/** Where the confirmation mail's link lands: the gateway has checked the link and says how it went. */
export function Component() {
  const session = useSession();
  const failure = landingFragment.get('error_description');
  if (failure) {
    return (
      <section className="narrow">
        <PageHeader title="That link did not work">{failure}</PageHeader>
        <p>
          Links work once and expire after a while. <Link to="/sign-in">Sign in</Link> and we can send you a new one.
        </p>
      </section>
    );
  }
  if (session.status === 'loading') return <Loading what="your account" />;
  return (
    <section className="narrow">
      <PageHeader title="Your email is confirmed">Thank you. Your account is ready.</PageHeader>
      <p>{session.status === 'signed-in' ? <Link to="/">Go to your overview</Link> : <Link to="/sign-in">Sign in to carry on</Link>}</p>
    </section>
  );
}
