/**
 * Criminal-group networks in the layout of BACRIM 2020 (Prieto-Curiel et al., "Reducing cartel
 * recruitment is the only way to lower violence in Mexico", Science 2023; data in
 * rafaelprietocuriel/Recruitment): one file of groups (node id, name, the state where it is present, a
 * short name) and edge lists of alliances and of rivalries between them (edge id, both ends by id and
 * name, a weight). UTF-8 with a byte-order mark, CRLF lines.
 *
 * The alliances and rivalries files share one header; a tie file's kind comes from `--param
 * ties=alliance|rivalry`, or, by default (`auto`), from its name (`…Alliances…`, `…Rivals…`). Each file
 * imported is a vintage with its sha256, and the network in force is the groups vintage with the
 * alliance and rivalry vintages in force (`src/stats/networks/network-import.ts`).
 * @module
 */
import type { Source } from '../source.js';

export const bacrimNetwork: Source = {
  id: 'bacrim-network',
  title: {
    en: 'Criminal groups, alliances and rivalries (BACRIM)',
    es: 'Grupos criminales, alianzas y rivalidades (BACRIM)',
  },
  publisher: 'Prieto-Curiel, Campedelli and Hope (2023), rafaelprietocuriel/Recruitment',
  licence: 'Research data published with the article; cite the article',
  attribution:
    'Prieto-Curiel, R., Campedelli, G. M., & Hope, A. (2023). Reducing cartel recruitment is the only way to lower violence in Mexico. Science, 381(6664).',
  landing: 'https://github.com/rafaelprietocuriel/Recruitment',
  measures: [],
  kind: 'network',
  layouts: [
    { name: 'groups', delimiter: ',', header: ['node', 'group', 'state', 'shortname'] },
    { name: 'ties', delimiter: ',', header: ['edge', 'node', 'group', 'rnode', 'rgroup', 'weight'] },
  ],
  params: [
    {
      name: 'ties',
      description: {
        en: 'what a tie file holds: alliance, rivalry, or auto (from the file name: Alliances, Rivals)',
        es: 'qué contiene un archivo de vínculos: alliance, rivalry o auto (por el nombre: Alliances, Rivals)',
      },
      default: 'auto',
      pattern: /^(auto|alliance|rivalry)$/,
      expected: 'imports.param.tiesKind',
    },
  ],
};
