/**
 * The morning consultation (每日会商): the wall view (follows the session) or the chair's console.
 * Standalone: give it an ApiClient. Mount at /consult; `?role=chair` (or the role prop) shows the
 * console, anything else the wall.
 */
import type { ApiClient } from '../../../shared/api';
import { ChairConsole } from './ChairConsole';
import { ConsultWall } from './ConsultWall';
import { consultRoleFrom, type ConsultRole } from './logic';
import './consult.css';

export function ConsultScreen({ api, role }: { api: ApiClient; role?: ConsultRole }) {
  const r = role ?? consultRoleFrom(window.location.search);
  return r === 'chair' ? <ChairConsole api={api} /> : <ConsultWall api={api} />;
}
