/**
 * The video lab as its own page (built by e2e/video/lab.vite.config.ts for the end-to-end tests
 * and the benchmarks): the video components against a live host, scenes chosen by the query
 * string (see VideoLab.tsx).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createTransport } from '../../api/transport';
import '../../theme/base.css';
import { VideoLab } from './VideoLab';

const root = document.getElementById('root');
if (!root) throw new Error('no #root');
const transport = createTransport(window);
const params = new URLSearchParams(window.location.search);
const locale = params.get('lang') === 'en' ? 'en' : 'zh-CN';
createRoot(root).render(
  <StrictMode>
    <VideoLab api={transport.client} locale={locale} search={window.location.search} />
  </StrictMode>,
);
