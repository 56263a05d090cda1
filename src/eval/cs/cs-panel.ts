/**
 * The panel Callaway–Sant'Anna and the synthetic estimators read, and one ATT(g,t) cell.
 * @module
 */

/** A panel: `y[unit * periods + t]` (NaN when missing), and each unit's cohort (−1: never). */
export interface CsPanel {
  units: number;
  periods: number;
  y: Float64Array;
  /** First treated period of each unit, or −1 for never treated. */
  group: Int32Array;
}

export interface AttGT {
  group: number;
  period: number;
  /** t − g. */
  event: number;
  att: number;
  se: number;
  treated: number;
  controls: number;
}
