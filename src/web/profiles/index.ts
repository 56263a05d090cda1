/**
 * `/places/:code`: the profile of any place on a map or in a table: Mexico, its states and
 * municipalities (`mexico.ts`), and the United States and its states (`united-states.ts`). Any other
 * code is a 404 in the reader's language.
 * @module
 */
import type { NetworkAccess } from '../../config.js';
import { translator } from '../../i18n/index.js';
import { DEFAULT_NETWORK_ACCESS } from '../../networks/network-view.js';
import type { StatsStore } from '../../stats/stats-store.js';
import { notFoundPage, type Place } from '../places.js';
import type { Reader } from '../reader.js';
import { mexicoProfile } from './mexico.js';
import { unitedStatesProfile } from './united-states.js';

export async function renderProfile(
  stats: StatsStore | undefined,
  reader: Reader,
  code: string,
  networks: NetworkAccess = DEFAULT_NETWORK_ACCESS,
): Promise<{ status: 200 | 404; body: string }> {
  const t = translator(reader.locale);
  const place = stats ? ((await stats.metadata()).places.get(code) as Place | undefined) : undefined;
  if (!stats || !place) return notFoundPage(reader, t('web.places.unknown', { code }));
  if (code === 'MX' || /^\d{2}(\d{3})?$/.test(code)) return mexicoProfile(stats, reader, place, networks);
  if (code === 'US' || (place.level === 'state' && place.parent === 'US'))
    return unitedStatesProfile(stats, reader, place);
  return notFoundPage(reader, t('web.places.unknown', { code }));
}
