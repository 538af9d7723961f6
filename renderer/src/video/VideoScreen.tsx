/**
 * The video wall display at /video (一屏观天下's live-video screen): the camera list on the left to
 * drag from, the tiled video wall filling the rest. `?case=<id>` or `?alarm=<id>` opens the
 * cameras that see that case or alarm (视图联动) until it closes.
 */
import { useRef } from 'react';
import { useApi } from '../api/ApiContext';
import { useI18n } from '../i18n/I18nProvider';
import { CameraList } from './CameraList';
import { VideoWall, type LinkTarget, type VideoWallHandle } from './VideoWall';
import './video.css';

export function linkTargetFromSearch(search: string): LinkTarget | null {
  const q = new URLSearchParams(search);
  const caseId = q.get('case');
  if (caseId) return { caseId };
  const alarmId = q.get('alarm');
  if (alarmId) return { alarmId };
  return null;
}

export function VideoScreen() {
  const api = useApi();
  const { locale } = useI18n();
  const wall = useRef<VideoWallHandle>(null);
  const target = linkTargetFromSearch(window.location.search);
  return (
    <div className="video-screen" data-testid="video-screen">
      <aside className="video-screen-list">
        <CameraList api={api} locale={locale} onSelect={(c) => wall.current?.show(c.id)} />
      </aside>
      <VideoWall ref={wall} api={api} locale={locale} initialLayout={target ? '4' : '9'} linkTarget={target} className="video-screen-wall" />
    </div>
  );
}
