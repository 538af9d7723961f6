/**
 * The video lab mounted inside the app (a /video-lab route): the app's API client and locale.
 * See VideoLab.tsx for the scenes.
 */
import { useApi } from '../../api/ApiContext';
import { useI18n } from '../../i18n/I18nProvider';
import { VideoLab } from './VideoLab';

export function VideoLabRoute() {
  const api = useApi();
  const { locale } = useI18n();
  return <VideoLab api={api} locale={locale} search={window.location.search} />;
}
