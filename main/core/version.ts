/** The application version, from package.json at build time (kept in one place). */
export const APP_VERSION = '0.1.0';
