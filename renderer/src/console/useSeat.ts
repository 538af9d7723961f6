import { useCallback, useState } from 'react';
import { loadSeat, saveSeat, type Seat } from './seat';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The seat's role and operator name, remembered in this browser. */
export function useSeat(): [Seat, (next: Seat) => void] {
  const [seat, setSeatState] = useState<Seat>(() => loadSeat(storage()));
  const setSeat = useCallback((next: Seat) => {
    saveSeat(storage(), next);
    setSeatState(next);
  }, []);
  return [seat, setSeat];
}
