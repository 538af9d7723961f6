/** The console's tabs, addressable as #queue, #evaluation, #monitoring, #sensors, #map (pure). */
export const CONSOLE_TABS = ['queue', 'evaluation', 'monitoring', 'sensors', 'map'] as const;
export type ConsoleTab = (typeof CONSOLE_TABS)[number];

export function tabFromHash(hash: string): ConsoleTab {
  const v = hash.replace(/^#/, '');
  return CONSOLE_TABS.find((t) => t === v) ?? 'queue';
}
