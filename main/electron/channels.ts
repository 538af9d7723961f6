/**
 * Names shared by the main process and the preload: IPC channels, the app:// origin and the
 * command-line flag that tells a preload its window role. No Electron import, so both sides
 * (and the tests) can use it.
 */
/** CityopsBridge.version as the preload reports it: must equal BRIDGE_VERSION in
 * shared/api/bridge.ts (a copy, so the preload bundle does not pull in the contract; tested). */
export const PRELOAD_BRIDGE_VERSION = '1';

export const IPC_CALL_CHANNEL = 'cityops:call';
export const IPC_EVENT_CHANNEL = 'cityops:event';

/** The privileged scheme the renderer is served from, and the one host it uses. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'cityops';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Passed to each window's renderer through webPreferences.additionalArguments. */
export const ROLE_ARG_PREFIX = '--cityops-role=';

/** The page each window role loads (the renderer routes on location.pathname). */
export const ROLE_PATHS = { wall: '/', console: '/console' } as const;
