/** Which screen a pathname shows. */
export type Screen = 'wall' | 'console' | 'consult' | 'video' | 'not_found';

export function screenFor(pathname: string): Screen {
  const p = pathname.replace(/\/+$/, '') || '/';
  if (p === '/' || p === '/wall' || p === '/index.html') return 'wall';
  if (p === '/console') return 'console';
  if (p === '/consult') return 'consult';
  if (p === '/video') return 'video';
  return 'not_found';
}
