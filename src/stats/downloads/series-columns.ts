/**
 * The codebook of the one long layout of every series download (CSV, Parquet, the data package): each
 * column's name, type, meaning in English and Spanish, and how R and Frictionless read it. `geo` is
 * text, so "09015" keeps its leading zero.
 * @module
 */

/** A column's type, as Frictionless Table Schema names it. */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface Column {
  name: string;
  type: ColumnType;
  description: { en: string; es: string };
}

const col = (name: string, type: ColumnType, en: string, es: string): Column => ({
  name,
  type,
  description: { en, es },
});

export const SERIES_COLUMNS: readonly Column[] = [
  col(
    'measure',
    'string',
    'The measure’s id (GET /api/v1/measures)',
    'El identificador de la medida (GET /api/v1/measures)',
  ),
  col(
    'unit',
    'string',
    'The unit of value, in the download’s language',
    'La unidad de value, en el idioma de la descarga',
  ),
  col(
    'rate_per',
    'integer',
    'The rate base: rate is per this many inhabitants (empty without a rate)',
    'La base de la tasa: rate es por esta cantidad de habitantes (vacía sin tasa)',
  ),
  col(
    'geo',
    'string',
    'The place’s code, as text: MX, US, INEGI state (08) or municipality (08037) codes, U.S. state codes',
    'La clave del lugar, como texto: MX, US, claves INEGI de estado (08) o municipio (08037), claves de estados de EE. UU.',
  ),
  col(
    'geo_level',
    'string',
    'country, state or municipality',
    'country (país), state (estado) o municipality (municipio)',
  ),
  col('name', 'string', 'The place’s name', 'El nombre del lugar'),
  col(
    'period',
    'string',
    'The period’s code: 2019, 2019-Q1, 2019-03 or FY2019',
    'La clave del periodo: 2019, 2019-Q1, 2019-03 o FY2019',
  ),
  col('period_start', 'date', 'The period’s first day', 'El primer día del periodo'),
  col('period_end', 'date', 'The period’s last day', 'El último día del periodo'),
  col(
    'value',
    'number',
    'The value of the measure for the place and period',
    'El valor de la medida para el lugar y el periodo',
  ),
  col(
    'rate',
    'number',
    'value per rate_per inhabitants (empty without a population)',
    'value por rate_per habitantes (vacía sin población)',
  ),
  col(
    'population',
    'number',
    'The population the rate divides by (for a quarter or a year of monthly figures, their mean to a whole person)',
    'La población que divide la tasa (en un trimestre o un año de cifras mensuales, su promedio redondeado a personas)',
  ),
  col('population_source', 'string', 'The source of population', 'La fuente de population'),
  col(
    'population_method',
    'string',
    'published, or interpolated between two published figures',
    'published (publicada) o interpolated (interpolada entre dos cifras publicadas)',
  ),
  col(
    'partial',
    'boolean',
    'true when the source holds less than the whole period',
    'true cuando la fuente tiene menos que el periodo completo',
  ),
  col(
    'covers_from',
    'string',
    'For a partial period: the first month its source holds (YYYY-MM)',
    'En un periodo parcial: el primer mes que tiene la fuente (AAAA-MM)',
  ),
  col(
    'covers_to',
    'string',
    'For a partial period: the last month its source holds (YYYY-MM)',
    'En un periodo parcial: el último mes que tiene la fuente (AAAA-MM)',
  ),
  col('partial_reason', 'string', 'For a partial period: why', 'En un periodo parcial: por qué'),
  col(
    'method',
    'string',
    'How the value was made: published, or sum of its parts',
    'Cómo se obtuvo el valor: published (publicado) o sum of … (suma de sus partes)',
  ),
  col(
    'source',
    'string',
    'The source of value (GET /api/v1/sources)',
    'La fuente de value (GET /api/v1/sources)',
  ),
  col(
    'vintages',
    'string',
    'The files behind the source’s values, file#sha256 (first 12 digits), separated by spaces',
    'Los archivos detrás de los valores de la fuente, archivo#sha256 (primeros 12 dígitos), separados por espacios',
  ),
  col(
    'filters',
    'string',
    'The dimension filters of the query, dimension:value separated by semicolons (empty: none)',
    'Los filtros de dimensión de la consulta, dimensión:valor separados por punto y coma (vacía: ninguno)',
  ),
];

/** The R class `read.csv(colClasses = …)` gives each type. */
export const R_CLASSES: Record<ColumnType, string> = {
  string: 'character',
  integer: 'integer',
  number: 'numeric',
  boolean: 'logical',
  date: 'Date',
};
