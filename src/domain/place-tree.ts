/**
 * Where a place lies, read from its code as INEGI and Marco write them: Mexico (`MX`) holds its states
 * (`08`) and municipalities (`08037`), a state its municipalities (the code's first two digits), and the
 * United States (`US`) its states (`TX`). DHIS2's "descendants" and "children" of an organisation unit,
 * for places.
 * @module
 */

const US_STATE = /^[A-Z]{2}$/;

/** Whether `place` is `ancestor` or lies anywhere under it. */
export function placeWithin(place: string, ancestor: string): boolean {
  if (place === ancestor) return true;
  if (ancestor === 'MX') return /^\d{2}$|^\d{5}$/.test(place);
  if (ancestor === 'US') return US_STATE.test(place) && place !== 'MX' && place !== 'US';
  if (/^\d{2}$/.test(ancestor)) return /^\d{5}$/.test(place) && place.startsWith(ancestor);
  return false;
}

/** Whether `place` lies directly under `parent`: a state of its country, a municipality of its state. */
export function placeChildOf(place: string, parent: string): boolean {
  if (parent === 'MX') return /^\d{2}$/.test(place);
  if (parent === 'US') return US_STATE.test(place) && place !== 'MX' && place !== 'US';
  if (/^\d{2}$/.test(parent)) return /^\d{5}$/.test(place) && place.startsWith(parent);
  return false;
}

/** Which places a query asks for: one place, its children, or a place and everything under it. */
export interface PlaceSelection {
  place?: string | undefined;
  /** This place and every place under it (`MX`: its states and municipalities). */
  within?: string | undefined;
  /** With `place`: the places directly under it, not the place itself. */
  children?: boolean | undefined;
}

/** The test a record's place must pass to be selected; every place passes an empty selection. */
export function placeSelector({ place, within, children }: PlaceSelection): (code: string) => boolean {
  return (code) =>
    (place === undefined || (children ? placeChildOf(code, place) : code === place)) &&
    (within === undefined || placeWithin(code, within));
}

/** INEGI's national code: `00` is Mexico as a whole, `MX` in Marco. */
export const nationalCode = (code: string): string => (code === '00' ? 'MX' : code);
