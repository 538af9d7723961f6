/**
 * The video components, for the screens to mount (see the README's video section):
 * - VideoWall: the wall panel (layouts, drag and drop, presets, tour, full screen, per-origin cap, linkage)
 * - VideoPlayer: one stream with engine choice, placeholder, state, retries
 * - CameraList: a searchable drag source of cameras
 * - LinkedCameras: 视图联动 as a list (the console's case detail)
 * - FloatingVideo: the live view anchored to a camera on the map
 * - setCameraDragData / CAMERA_DRAG_TYPE: make any element (the map) a camera drag source
 * - useStreamHealth: per-camera stream state for colouring the map
 * - fovWedge (shared/domain/video): the field-of-view polygon to draw while a camera plays
 */
export { VideoWall, type VideoWallHandle, type VideoWallProps, type LinkTarget } from './VideoWall';
export { VideoPlayer, type VideoPlayerProps, type PlayerStatus, type PlayerReport } from './VideoPlayer';
export { CameraList, type CameraListProps } from './CameraList';
export { LinkedCameras, type LinkedCamerasProps } from './LinkedCameras';
export { FloatingVideo, type FloatingVideoProps } from './FloatingVideo';
export { useStreamHealth, worstState } from './useStreamHealth';
export { CAMERA_DRAG_TYPE, setCameraDragData, readCameraDragData, type CameraDragPayload } from './wall/drag';
export { fovWedge, fovContains } from '../../../shared/domain/video';
