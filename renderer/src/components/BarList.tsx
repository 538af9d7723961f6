import type { CSSProperties } from 'react';

export interface BarItem {
  key: string;
  label: string;
  value: number;
  colour: string;
}

/** Horizontal bars, readable from across the room: label, bar, figure. */
export function BarList({ items, max }: { items: readonly BarItem[]; max?: number }) {
  const top = Math.max(1, max ?? Math.max(0, ...items.map((i) => i.value)));
  return (
    <ul className="bar-list">
      {items.map((item) => (
        <li key={item.key} data-key={item.key} data-zero={item.value === 0 ? '1' : undefined} style={{ '--c': item.colour, '--w': `${(100 * item.value) / top}%` } as CSSProperties}>
          <span className="bar-label">{item.label}</span>
          <span className="bar-track">
            <span className="bar-fill" />
          </span>
          <span className="bar-value">{item.value.toLocaleString('en-US')}</span>
        </li>
      ))}
    </ul>
  );
}
