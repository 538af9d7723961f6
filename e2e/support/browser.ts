/**
 * The few browser globals that functions passed to page.evaluate() use. The e2e code compiles
 * with the Node project (no DOM lib), so these are declared structurally here.
 */
export interface RectLike {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

export interface ElementLike {
  getAttribute(name: string): string | null;
  getBoundingClientRect(): RectLike;
}

export interface BrowserGlobals {
  innerWidth: number;
  innerHeight: number;
  localStorage: { getItem(key: string): string | null };
  document: {
    documentElement: { scrollWidth: number; scrollHeight: number; lang: string };
    querySelectorAll(selector: string): { length: number; item(index: number): ElementLike | null };
  };
}
