/**
 * The wall's compact legend: only the layers shown, readable from across the room (five-colour
 * risk with its source, case states with the overdue count, devices, forces, alarms, density).
 */
import type { CSSProperties } from 'react';
import type { MapLayers } from '../../../../shared/domain/map';
import { ALARM_SEVERITY_COLOURS, CAMERA_STATUS_COLOURS, CASE_MARKER_COLOURS, HEAT_RANGE, RISK_HEX, rgbaCss, SENSOR_STATUS_COLOURS, STAFF_ROLE_COLOURS } from '../layers/colours';
import type { MapT } from '../i18n';

export interface LegendProps {
  layers: MapLayers;
  t: MapT;
  riskLabel(level: number): string;
  gridSource: 'model' | 'field' | null;
  counts: { cases: number | null; overdue: number | null; alarms: number | null };
  zoom: number;
}

const swatch = (c: string): CSSProperties => ({ '--c': c }) as CSSProperties;

export function Legend({ layers, t, riskLabel, gridSource, counts, zoom }: LegendProps) {
  return (
    <div className="map-legend" data-testid="map-legend">
      {layers.grids.visible && (
        <section className="legend-group" data-layer="grids">
          <div className="legend-title">
            {t('legend.risk')}
            {gridSource && <span className="legend-note">{gridSource === 'model' ? t('legend.riskModel') : t('legend.riskField')}</span>}
          </div>
          <ul className="legend-items">
            {RISK_HEX.map((hex, level) => (
              <li key={hex} style={swatch(hex)}>
                <span className="swatch" />
                {riskLabel(level)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {layers.cases.visible && (
        <section className="legend-group" data-layer="cases">
          <div className="legend-title">
            {t('legend.cases')}
            {counts.cases !== null && <b className="legend-total">{counts.cases.toLocaleString('en-US')}</b>}
          </div>
          <ul className="legend-items">
            <li style={swatch(rgbaCss(CASE_MARKER_COLOURS.pending))}>
              <span className="dot" />
              {t('legend.pending')}
            </li>
            <li style={swatch(rgbaCss(CASE_MARKER_COLOURS.inProgress))}>
              <span className="dot" />
              {t('legend.inProgress')}
            </li>
            <li style={swatch(rgbaCss(CASE_MARKER_COLOURS.overdue))} data-testid="legend-overdue">
              <span className="dot pulse" />
              {t('legend.overdue')}
              {counts.overdue !== null && <b className="legend-count">{counts.overdue}</b>}
            </li>
          </ul>
        </section>
      )}
      {(layers.cameras.visible || layers.sensors.visible) && (
        <section className="legend-group" data-layer="devices">
          <ul className="legend-items">
            {layers.cameras.visible && (
              <li style={swatch(rgbaCss(CAMERA_STATUS_COLOURS.online))}>
                <span className="dot small" />
                {t('legend.cameras')}
              </li>
            )}
            {layers.sensors.visible && (
              <>
                <li style={swatch(rgbaCss(SENSOR_STATUS_COLOURS.normal))}>
                  <span className="dot small" />
                  {t('legend.sensors')}
                </li>
                <li style={swatch(rgbaCss(SENSOR_STATUS_COLOURS.warning))}>
                  <span className="dot small" />
                  {t('sensor.warning')}
                </li>
                <li style={swatch(rgbaCss(SENSOR_STATUS_COLOURS.alarm))}>
                  <span className="dot small" />
                  {t('sensor.alarm')}
                </li>
              </>
            )}
            {zoom < 12 && <li className="legend-note">{t('legend.zoomIn')}</li>}
          </ul>
        </section>
      )}
      {(layers.forces.visible || layers.alarms.visible || layers.arcs.visible) && (
        <section className="legend-group" data-layer="forces">
          <ul className="legend-items">
            {layers.forces.visible && (
              <li style={swatch(rgbaCss(STAFF_ROLE_COLOURS.enforcement))}>
                <span className="trail" />
                {t('legend.forces')}
              </li>
            )}
            {layers.arcs.visible && (
              <li style={swatch('#00e5ff')}>
                <span className="arc" />
                {t('legend.arcs')}
              </li>
            )}
            {layers.alarms.visible && (
              <li style={swatch(rgbaCss(ALARM_SEVERITY_COLOURS.critical))}>
                <span className="dot pulse" />
                {t('legend.alarms')}
                {counts.alarms !== null && <b className="legend-count">{counts.alarms}</b>}
              </li>
            )}
          </ul>
        </section>
      )}
      {layers.heat.visible && (
        <section className="legend-group" data-layer="heat">
          <div className="legend-title">{t('legend.heat')}</div>
          <div className="legend-ramp" style={{ background: `linear-gradient(90deg, ${HEAT_RANGE.slice(1).map((c) => rgbaCss([c[0], c[1], c[2], 255])).join(', ')})` }}>
            <span>{t('legend.low')}</span>
            <span>{t('legend.high')}</span>
          </div>
        </section>
      )}
    </div>
  );
}
