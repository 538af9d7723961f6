/**
 * Monitoring and early warning on screen (issue 5): standalone components, each given an
 * ApiClient. Mount them where the wall and console screens want them (see the report).
 */
export { AlarmStrip, type AlarmStripProps } from './AlarmStrip';
export { AlarmList, type AlarmListProps } from './AlarmList';
export { SensorCard, type SensorCardProps } from './SensorCard';
export { IngestStatusPanel, type IngestStatusPanelProps } from './IngestStatusPanel';
export { WarningBanner, type WarningBannerProps } from './WarningBanner';
export { createWebAudioPlayer, type AlarmSoundPlayer, type SoundState } from './sound';
export { monitoringT, type MonitoringT } from './labels';
export { SEVERITY_COLOURS } from './logic';
