/** Identifier formats of the demo data, in one place. */
import type { DepartmentCode } from '../../../shared/domain/catalogue';

/** Areas are keyed by their code: area-330100, area-330106-003-012-005. */
export const areaId = (code: string): string => `area-${code}`;
export const departmentId = (code: DepartmentCode): string => `dept-${code}`;
/** One unit per department per town: unit-CG-330106-011. */
export const unitId = (dept: DepartmentCode, townCode: string): string => `unit-${dept}-${townCode}`;
export const staffId = (townCode: string, n: number): string => `staff-${townCode}-${String(n).padStart(4, '0')}`;
export const sensorId = (townCode: string, n: number): string => `sensor-${townCode}-${String(n).padStart(5, '0')}`;
export const caseId = (n: number): string => `case-${String(n).padStart(7, '0')}`;

/** Two-digit pad of a small index. */
export const pad = (n: number, width: number): string => String(n).padStart(width, '0');
