import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { ErrorNotice, Success } from '../../ui/status';
import { stageName } from './stages';

const SAMPLE_KEY = ['sample-call'];
/** How often to ask whether the sample still plays; live events (call.updated, call.completed) ask sooner. */
const POLL_MS = 2000;

/**
 * "Play a sample consultation", where the platform plays sample calls (outside production, without VAPI): a
 * made-up call of the current stage, reported as a real one, so its transcript and the next stage follow.
 */
export function SampleCall({ stage }: { stage: number }) {
  const queryClient = useQueryClient();
  const [ended, setEnded] = useState(false);
  const sample = useQuery({
    queryKey: SAMPLE_KEY,
    queryFn: () => unwrap(api.GET('/v1/me/calls/sample')),
    refetchInterval: (query) => (query.state.data?.playing ? POLL_MS : false),
  });
  const playing = sample.data?.playing ?? false;
  const setPlaying = (value: boolean, available = true) => queryClient.setQueryData(SAMPLE_KEY, { available, playing: value });

  const play = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/me/calls/sample')),
    onMutate: () => setEnded(false),
    onSuccess: () => setPlaying(true),
    onError: (error) => {
      // One is already playing (another tab, a double click): follow that one.
      if (error instanceof ApiError && error.code === 'sample_call_playing') setPlaying(true);
      if (error instanceof ApiError && error.code === 'sample_calls_off') setPlaying(false, false);
      if (error instanceof ApiError && error.code === 'consultation_complete') void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });

  // Playing → not playing: the call is over, so the list, its transcript and the stage are read again.
  const wasPlaying = useRef(playing);
  useEffect(() => {
    if (wasPlaying.current && !playing) {
      setEnded(true);
      void queryClient.invalidateQueries({ queryKey: ['calls'] });
      void queryClient.invalidateQueries({ queryKey: ['me'] });
    }
    wasPlaying.current = playing;
  }, [playing, queryClient]);

  const followed = play.error instanceof ApiError && play.error.code === 'sample_call_playing';
  if (!sample.data?.available && !play.isError) return null;
  return (
    <section aria-labelledby="sample-call">
      <h2 id="sample-call">Try it without a phone</h2>
      <p>Plays a made-up call of your current stage, as on a laptop without a phone line.</p>
      {sample.data?.available ? (
        <p className="actions">
          <button type="button" disabled={playing || play.isPending} onClick={() => play.mutate()}>
            {playing ? 'Sample playing…' : 'Play a sample consultation'}
          </button>
        </p>
      ) : null}
      <div aria-live="polite">
        {playing ? (
          <p className="notice" role="status">
            <span className="spinner" aria-hidden="true" /> A sample {stageName(stage)} call is playing. Its summary and transcript appear below when it ends.
          </p>
        ) : null}
        {ended && !playing ? <Success>The sample call has ended. Its summary and transcript appear in your calls below once they are ready.</Success> : null}
        {play.isError && !followed ? <ErrorNotice error={play.error} onRetry={() => play.mutate()} /> : null}
      </div>
    </section>
  );
}
