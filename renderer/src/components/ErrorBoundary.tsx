import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What to show instead of the children after they threw. */
  fallback: ReactNode;
  /** Name for the console message. */
  name: string;
  children: ReactNode;
}

interface State {
  failed: boolean;
}

/** Keeps one panel's failure from blanking the whole screen. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`panel ${this.props.name} failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
