import { useEffect, useState } from 'react';

/**
 * The wall's layout unit in CSS pixels: min(1vh, 0.5vw), the same as the CSS variable --u.
 * For things drawn outside CSS (chart fonts, map labels).
 */
export function viewportUnit(w: number, h: number): number {
  return Math.min(h / 100, w / 200);
}

export function useViewportUnit(): number {
  const [u, setU] = useState(() => viewportUnit(window.innerWidth, window.innerHeight));
  useEffect(() => {
    const onResize = (): void => setU(viewportUnit(window.innerWidth, window.innerHeight));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return u;
}
