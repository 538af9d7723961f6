/**
 * maplibre basemap (built offline from the districts) with deck.gl layers interleaved into it.
 * Signals `data-map-ready="1"` on its element once the first frame with every layer's data has
 * been drawn (deck.gl's onAfterRender, then maplibre's 'idle'): tests and the wall's readiness
 * wait on it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { Map as MapLibre, type GeoJSONSource } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { AreaFeatureCollection } from '../../../shared/api/areas';
import type { BBox } from '../../../shared/geo';
import type { Locale } from '../../../shared/i18n';
import { buildLayers, type MapLayerConfig, type MapLayerData } from './layers';
import { boundsOf, buildOfflineStyle, labelPoints, MAP_LAYER_IDS } from './style';

export interface MapViewProps {
  districts: AreaFeatureCollection;
  layers: readonly MapLayerConfig[];
  data: MapLayerData;
  locale: Locale;
  englishNames: ReadonlyMap<string, string>;
  labelSizePx: number;
  /** Multiplier of the basemap's line widths (for very large walls). */
  lineScale?: number;
  /** The box to show first (default: all districts). */
  focus?: BBox | null;
  /** Padding around the focus when fitting the view, px. */
  paddingPx: number;
  onReady?: () => void;
}

const FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";

const allLoaded = (d: MapLayerData): boolean => d.grids !== null && d.towns !== null && d.cases !== null;

export function MapView(props: MapViewProps) {
  const { districts, layers, data, locale, englishNames, labelSizePx, lineScale = 1, paddingPx, focus = null, onReady } = props;
  const box = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibre | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const awaitingFrame = useRef(allLoaded(data));
  const onReadyRef = useRef(onReady);
  const [loaded, setLoaded] = useState(false);
  const [ready, setReady] = useState(false);
  // Layers: rebuilt when their config or data change; deck.gl diffs them by id.
  const deckLayers = useMemo(() => buildLayers(layers, data), [layers, data]);
  const initial = useRef({ districts, locale, englishNames, labelSizePx, lineScale, paddingPx, deckLayers, focus });

  useEffect(() => {
    onReadyRef.current = onReady;
  });

  // Create the map once; later changes go through setData/setProps below.
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const init = initial.current;
    const bounds = init.focus ?? boundsOf(init.districts);
    const map = new MapLibre({
      container: el,
      style: buildOfflineStyle({ districts: init.districts, locale: init.locale, englishNames: init.englishNames, labelSizePx: init.labelSizePx, lineScale: init.lineScale }),
      ...(bounds ? { bounds: [bounds[0], bounds[1], bounds[2], bounds[3]] as [number, number, number, number] } : { center: [120.16, 30.27] as [number, number], zoom: 9 }),
      fitBoundsOptions: { padding: init.paddingPx },
      attributionControl: false,
      localIdeographFontFamily: FONT_FAMILY,
      fadeDuration: 0,
      dragRotate: false,
      pitchWithRotate: false,
      renderWorldCopies: false,
      canvasContextAttributes: { antialias: true },
    });
    const overlay = new MapboxOverlay({
      interleaved: true,
      // Every layer is there from the first frame: no partial frames to draw (costly in software GL).
      layers: init.deckLayers,
      onAfterRender: () => {
        if (!awaitingFrame.current) return;
        awaitingFrame.current = false;
        map.once('idle', () => setReady(true));
      },
    });
    map.addControl(overlay);
    map.on('load', () => setLoaded(true));
    mapRef.current = map;
    overlayRef.current = overlay;
    const ro = new ResizeObserver(() => map.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      overlayRef.current = null;
      mapRef.current = null;
      map.remove();
    };
  }, []);

  const readyRef = useRef(false);
  useEffect(() => {
    readyRef.current = ready;
  }, [ready]);
  useEffect(() => {
    const overlay = overlayRef.current;
    const map = mapRef.current;
    if (!overlay || !map || !loaded) return;
    if (!readyRef.current && allLoaded(data)) awaitingFrame.current = true;
    overlay.setProps({ layers: deckLayers });
    map.triggerRepaint();
  }, [deckLayers, data, loaded]);

  // Districts and their labels follow refreshes and the language (each setData re-tiles, so
  // only when something changed since the style was built).
  const applied = useRef({ districts, locale, englishNames, labelSizePx, lineScale });
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    const prev = applied.current;
    if (prev.districts !== districts) (map.getSource('districts') as GeoJSONSource | undefined)?.setData(districts as unknown as FeatureCollection);
    if (prev.districts !== districts || prev.locale !== locale || prev.englishNames !== englishNames) {
      (map.getSource('district-labels') as GeoJSONSource | undefined)?.setData(labelPoints(districts, locale, englishNames));
    }
    if (prev.labelSizePx !== labelSizePx) map.setLayoutProperty(MAP_LAYER_IDS.districtLabels, 'text-size', labelSizePx);
    if (prev.lineScale !== lineScale) {
      const restyled = buildOfflineStyle({ districts, locale, labelSizePx, lineScale });
      for (const id of [MAP_LAYER_IDS.districtGlow, MAP_LAYER_IDS.districtLine, MAP_LAYER_IDS.districtLabels]) {
        const layer = restyled.layers.find((l) => l.id === id);
        const paint = layer && 'paint' in layer ? (layer.paint as Record<string, unknown> | undefined) : undefined;
        for (const [prop, value] of Object.entries(paint ?? {})) map.setPaintProperty(id, prop, value);
      }
    }
    applied.current = { districts, locale, englishNames, labelSizePx, lineScale };
  }, [districts, locale, englishNames, labelSizePx, lineScale, loaded]);

  useEffect(() => {
    if (ready) onReadyRef.current?.();
  }, [ready]);

  return <div ref={box} className="map-view" data-testid="map" data-map-ready={ready ? '1' : '0'} />;
}
