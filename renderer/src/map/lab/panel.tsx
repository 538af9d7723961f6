/**
 * A preview of the console with the map layer panel mounted beside it (as the console will mount
 * it): served by the host next to the app for screenshots and tests of the panel.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from '../../api/ApiContext';
import { createTransport } from '../../api/transport';
import { ConsoleScreen } from '../../console/ConsoleScreen';
import { ReferenceProvider } from '../../data/reference';
import { I18nProvider } from '../../i18n/I18nProvider';
import { initialLocale } from '../../i18n/locale';
import '../../theme/base.css';
import { LayerPanel } from '../panel/LayerPanel';

const root = document.getElementById('root')!;
root.style.cssText = 'display:grid;grid-template-columns:minmax(0,1fr) 360px;height:100vh';
createRoot(root).render(
  <StrictMode>
    <ApiProvider transport={createTransport(window)}>
      <I18nProvider initial={initialLocale(location.search, null)} storage={null}>
        <ReferenceProvider>
          <div style={{ minWidth: 0, minHeight: 0, overflow: 'hidden' }}>
            <ConsoleScreen />
          </div>
          <LayerPanel actor="e2e-console" />
        </ReferenceProvider>
      </I18nProvider>
    </ApiProvider>
  </StrictMode>,
);
