import { TextLayer, type TextLayerProps } from '@deck.gl/layers';
import { type BaseDistrict, type BaseStreet, midpoint } from '../../map-base.ts';
import { memoLast } from '../../memo-last.ts';

/**
 * District and street names. MapLibre would need glyph PBFs from a server for text, and the
 * platform has none (offline, no CDN); deck.gl's TextLayer rasterises the browser's own fonts
 * into an atlas (Cyrillic included with `characterSet: 'auto'`), so labels need nothing served.
 * District names show at every zoom, street names from `streetMinZoom` on.
 */
export interface LabelsLayerProps {
  districts: readonly BaseDistrict[];
  streets: readonly BaseStreet[];
  lang: 'uk' | 'en';
  zoom: number;
  streetMinZoom?: number;
  visible?: boolean;
}

export const LABELS_LAYER_DEFAULTS = { visible: true, streetMinZoom: 14.5 } as const;

interface Label {
  at: [number, number];
  text: string;
}

const FONT = 'system-ui, "Noto Sans", "DejaVu Sans", sans-serif';

const districtLabels = memoLast((districts: readonly BaseDistrict[], lang: 'uk' | 'en'): Label[] =>
  districts.map((d) => ({ at: d.labelAt, text: lang === 'en' ? (d.nameEn ?? d.name) : d.name })),
);
const streetLabels = memoLast((streets: readonly BaseStreet[]): Label[] =>
  streets.filter((s) => s.name).map((s) => ({ at: midpoint(s.line), text: s.name })),
);

export function labelsLayers(props: LabelsLayerProps): TextLayer<Label>[] {
  const p = { ...LABELS_LAYER_DEFAULTS, ...props };
  const districts = districtLabels(p.districts, p.lang);
  const streets = streetLabels(p.streets);
  return [
    labelLayer('street-labels', streets, p.lang, {
      visible: p.visible && p.zoom >= p.streetMinZoom,
      getSize: 12,
      getColor: [200, 210, 222, 255],
      outlineWidth: 3,
    }),
    labelLayer('district-labels', districts, p.lang, {
      visible: p.visible,
      getSize: 20,
      getColor: [232, 237, 243, 255],
      outlineWidth: 4,
      fontWeight: 700,
    }),
  ];
}

/** A layer of labels in the map's font, outlined in the base map's colour so that they read on any fill. */
function labelLayer(
  id: string,
  data: Label[],
  lang: LabelsLayerProps['lang'],
  look: Pick<TextLayerProps<Label>, 'visible' | 'getSize' | 'getColor' | 'outlineWidth' | 'fontWeight'>,
): TextLayer<Label> {
  return new TextLayer<Label>({
    id,
    data,
    getPosition: (l) => l.at,
    getText: (l) => l.text,
    outlineColor: [14, 17, 22, 255],
    fontSettings: { sdf: true },
    fontFamily: FONT,
    characterSet: 'auto',
    updateTriggers: { getText: lang },
    ...look,
  });
}
