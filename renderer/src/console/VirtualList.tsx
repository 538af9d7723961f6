/**
 * A fixed-row-height virtual list: only the rows in view (plus a little overscan) exist in the
 * DOM, whatever the row count. ↑/↓, PageUp/PageDown, Home/End move the cursor and keep it in
 * view; Enter activates the row under the cursor.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { scrollToReveal, visibleRange, type RowRange } from './virtual';

interface VirtualListProps {
  rowCount: number;
  rowHeight: number;
  renderRow(index: number): ReactNode;
  onRangeChange?(range: RowRange): void;
  /** The row under the keyboard cursor. */
  selectedIndex?: number | null;
  onSelectIndex?(index: number): void;
  /** Enter on the cursor's row. */
  onActivate?(index: number): void;
  /** Scroll back to the top when this changes (e.g. new filters). */
  resetKey?: string;
  className?: string;
  testId?: string;
}

export function VirtualList(props: VirtualListProps) {
  const { rowCount, rowHeight, renderRow, onRangeChange, selectedIndex = null, onSelectIndex, onActivate, resetKey, className, testId } = props;
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(0);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (box.current) box.current.scrollTop = 0;
    setScrollTop(0);
  }, [resetKey]);

  const range = visibleRange(scrollTop, height, rowHeight, rowCount);
  const onRangeRef = useRef(onRangeChange);
  useEffect(() => {
    onRangeRef.current = onRangeChange;
  });
  useEffect(() => {
    onRangeRef.current?.(range);
  }, [range.start, range.end]);

  const reveal = useCallback(
    (index: number) => {
      const el = box.current;
      if (!el) return;
      const next = scrollToReveal(index, el.scrollTop, el.clientHeight, rowHeight);
      if (next !== el.scrollTop) el.scrollTop = next;
    },
    [rowHeight],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (rowCount === 0) return;
    if (e.key === 'Enter' && onActivate && selectedIndex !== null) {
      e.preventDefault();
      onActivate(selectedIndex);
      return;
    }
    if (!onSelectIndex) return;
    const pageRows = Math.max(1, Math.floor(height / rowHeight) - 1);
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? pageRows : e.key === 'PageUp' ? -pageRows : e.key === 'Home' ? -rowCount : e.key === 'End' ? rowCount : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(rowCount - 1, (selectedIndex ?? -1) + step));
    onSelectIndex(next);
    reveal(next);
  };

  const rows: ReactNode[] = [];
  for (let i = range.start; i < range.end; i++) {
    rows.push(
      <div key={i} className="vrow" style={{ transform: `translateY(${i * rowHeight}px)`, height: rowHeight }}>
        {renderRow(i)}
      </div>,
    );
  }

  return (
    <div
      ref={box}
      className={`vlist ${className ?? ''}`}
      data-testid={testId}
      tabIndex={0}
      role="listbox"
      aria-rowcount={rowCount}
      onKeyDown={onKeyDown}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div className="vlist-spacer" style={{ height: rowCount * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
