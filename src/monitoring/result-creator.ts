/**
 * Who may enter a new result: a reporter of the indicator's own country and agency (the operator
 * anywhere), the same right that edits and submits its results. Places are checked against the geography
 * spine when the caller has one. Shared by `POST /api/v1/results` and the web's result-entry form.
 * @module
 */
import { assertCanSubmit } from '../access/rules.js';
import type { Official } from '../access/viewer.js';
import { placeChecker, type SpinePlace } from '../domain/place-check.js';
import type { ResultCreator } from '../records/result-entry.js';

/** The creator for `viewer`, checking places against `places` (the statistics store's catalogue). */
export function resultCreator(viewer: Official, places?: ReadonlyMap<string, SpinePlace>): ResultCreator {
  return {
    viewer,
    authorize(indicator) {
      assertCanSubmit(viewer, indicator, { entity: 'indicator', key: indicator.code });
    },
    place: places ? placeChecker(places) : undefined,
  };
}
