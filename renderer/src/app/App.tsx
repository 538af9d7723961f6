import { lazy, Suspense } from 'react';
import { useApi } from '../api/ApiContext';
import { ReferenceProvider } from '../data/reference';
import { useT } from '../i18n/I18nProvider';
import type { Screen } from './routes';

// Each screen is its own chunk: the console does not load maplibre/deck.gl, the wall not the console.
const WallScreen = lazy(() => import('../wall/WallScreen').then((m) => ({ default: m.WallScreen })));
const ConsoleScreen = lazy(() => import('../console/ConsoleScreen').then((m) => ({ default: m.ConsoleScreen })));
const VideoScreen = lazy(() => import('../video/VideoScreen').then((m) => ({ default: m.VideoScreen })));
const ConsultScreen = lazy(() => import('../consult/ConsultScreen').then((m) => ({ default: m.ConsultScreen })));

export function App({ screen }: { screen: Screen }) {
  return (
    <ReferenceProvider>
      <Suspense fallback={<Splash />}>
        <ScreenFor screen={screen} />
      </Suspense>
    </ReferenceProvider>
  );
}

function ScreenFor({ screen }: { screen: Screen }) {
  switch (screen) {
    case 'wall':
      return <WallScreen />;
    case 'console':
      return <ConsoleScreen />;
    case 'consult':
      return <ConsultRoute />;
    case 'video':
      return <VideoScreen />;
    case 'not_found':
      return <NotFound />;
  }
}

/** The consultation screens (renderer/src/consult) take the API client as a prop. */
function ConsultRoute() {
  const api = useApi();
  return <ConsultScreen api={api} />;
}

function Splash() {
  const t = useT();
  return <div className="splash">{t('panel.loading')}</div>;
}

function NotFound() {
  const t = useT();
  return (
    <div className="splash">
      <a href="/">{t('app.wall')}</a>
      <a href="/console">{t('app.console')}</a>
    </div>
  );
}
