/**
 * Boot: pick the transport (Electron preload or WebSocket), the locale (?lang=, then the saved
 * choice, then zh-CN) and the screen (by pathname), then render.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/ApiContext';
import { createTransport } from './api/transport';
import { App } from './app/App';
import { screenFor } from './app/routes';
import { I18nProvider } from './i18n/I18nProvider';
import { initialLocale } from './i18n/locale';
import './theme/base.css';

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

const storage = safeStorage();
const screen = screenFor(window.location.pathname);
document.body.dataset.screen = screen;
const transport = createTransport(window);

createRoot(root).render(
  <StrictMode>
    <ApiProvider transport={transport}>
      <I18nProvider initial={initialLocale(window.location.search, storage)} storage={storage}>
        <App screen={screen} />
      </I18nProvider>
    </ApiProvider>
  </StrictMode>,
);
