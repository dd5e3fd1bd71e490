import { Link } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';

export function Component() {
  return (
    <section className="narrow">
      <PageHeader title="No payment taken">You left the checkout, so nothing was charged.</PageHeader>
      <p>
        <Link to="/billing">Back to the packages</Link>
      </p>
    </section>
  );
}
