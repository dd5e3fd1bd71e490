import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { LiveEventStream, type LiveStatus } from './event-stream';
import { STALE_AFTER } from './invalidations';
import { requestEventTicket } from './ticket';

const LiveStatusContext = createContext<LiveStatus>('connecting');

export const useLiveStatus = () => useContext(LiveStatusContext);

/**
 * While the founder is signed in, their milestones arrive as events and mark the matching cached answers stale,
 * so the page on screen updates without a reload. After a drop, everything on screen is fetched again.
 */
export function LiveUpdates({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    const stream = new LiveEventStream({
      ticket: requestEventTicket,
      open: (url) => new EventSource(url),
      onStatus: setStatus,
      onEvent: (event) => {
        for (const queryKey of STALE_AFTER[event.type]) void queryClient.invalidateQueries({ queryKey });
      },
      onReconnected: () => void queryClient.refetchQueries({ type: 'active' }),
    });
    stream.start();
    return () => stream.stop();
  }, [queryClient]);

  return <LiveStatusContext.Provider value={status}>{children}</LiveStatusContext.Provider>;
}
