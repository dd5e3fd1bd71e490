import { Link } from 'react-router';
import { ErrorNotice } from '../../../ui/status';
import { useCaseOf } from './api';

/** From a founder's file to their formation case, once a formation package is paid. */
export function CaseLink({ founderId }: { founderId: string }) {
  const found = useCaseOf(founderId);
  if (found.isPending) return <p className="meta">Looking for their formation case…</p>;
  if (found.isError) return <ErrorNotice error={found.error} onRetry={() => void found.refetch()} />;
  return found.data ? (
    <p>
      <Link to={`/operator/formation/${found.data}`}>Open their formation case</Link>
    </p>
  ) : (
    <p>
      No formation case found for them. <Link to="/operator/formation">See every case</Link>
    </p>
  );
}
