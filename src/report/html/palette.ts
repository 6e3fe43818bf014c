/**
 * Okabe & Ito's colour-blind safe palette (Color Universal Design, 2008): eight colours told apart under
 * every common colour-vision deficiency. Lines also differ by dash where colour alone would carry meaning.
 */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const;

/** Colours for series (services, policies), in order: the strongest contrasts on white first. */
export const SERIES_COLOURS: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.green,
  OKABE_ITO.purple,
  OKABE_ITO.vermillion,
  OKABE_ITO.skyBlue,
  OKABE_ITO.black,
  OKABE_ITO.yellow,
];

/** The colour of the i-th series. */
export const seriesColour = (i: number): string =>
  SERIES_COLOURS[i % SERIES_COLOURS.length] ?? OKABE_ITO.black;

/** Fault bands by kind; an unknown (newer) kind gets the next free colour. */
const FAULT_COLOURS: Readonly<Record<string, string>> = {
  'node-crash': OKABE_ITO.vermillion,
  'network-partition': OKABE_ITO.skyBlue,
  'resource-exhaustion': OKABE_ITO.orange,
  'performance-degradation': OKABE_ITO.purple,
  'load-spike': OKABE_ITO.yellow,
};

/** The band colour of a fault kind. */
export const faultColour = (kind: string): string => FAULT_COLOURS[kind] ?? OKABE_ITO.green;

/** Action outcomes: colour and shape both say it (filled circle, cross, hollow circle). */
export const OUTCOME_STYLE: Readonly<
  Record<'succeeded' | 'failed' | 'unfinished', { readonly colour: string; readonly label: string }>
> = {
  succeeded: { colour: OKABE_ITO.green, label: 'action succeeded' },
  failed: { colour: OKABE_ITO.vermillion, label: 'action failed' },
  unfinished: { colour: OKABE_ITO.black, label: 'action unfinished at the end' },
};
