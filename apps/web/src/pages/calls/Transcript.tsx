import { useParams } from 'react-router';
import { useTranscript } from '../../api/queries';
import { formatDateTime } from '../../lib/dates';
import { PageHeader } from '../../ui/PageHeader';
import { BackLink, Empty, QueryView } from '../../ui/status';
import { stageName } from './stages';

const speaker = (role: string) => (role === 'user' || role === 'customer' ? 'You' : role === 'assistant' || role === 'bot' ? 'DreamSeed' : role);
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

export function Component() {
  const { id = '' } = useParams();
  const transcript = useTranscript(id);
  return (
    <>
      <BackLink to="/calls">All consultations</BackLink>
      <QueryView query={transcript} what="the transcript">
        {(t) => (
          <>
            <PageHeader title={`${stageName(t.call_stage)} call transcript`}>Recorded {formatDateTime(t.created_at)}.</PageHeader>
            {t.turns.length ? (
              <ol className="transcript">
                {t.turns.map((turn, i) => (
                  <li key={i} className={`turn turn-${speaker(turn.role) === 'You' ? 'you' : 'us'}`}>
                    <p className="meta">
                      <strong>{speaker(turn.role)}</strong>
                      {turn.seconds_from_start !== null ? ` at ${clock(turn.seconds_from_start)}` : ''}
                    </p>
                    <p>{turn.content}</p>
                  </li>
                ))}
              </ol>
            ) : t.text ? (
              <p className="pre">{t.text}</p>
            ) : (
              <Empty>This call has no transcript.</Empty>
            )}
          </>
        )}
      </QueryView>
    </>
  );
}
