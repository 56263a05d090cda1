/**
 * Where CBP's areas of responsibility are: each Office of Field Operations field office and Border
 * Patrol sector placed in the U.S. state (or Puerto Rico) of its headquarters, by USPS code. Several
 * cover more than one state (the El Paso sector reaches New Mexico, the Spokane sector Idaho and Montana,
 * the Portland field office the Pacific Northwest beyond Oregon): the map says where the office is, not
 * every mile it patrols. Preclearance (inspections at airports abroad) has no state and stays off the map.
 * @module
 */

const AREA_STATE: Readonly<Record<string, string>> = {
  'ATLANTA FIELD OFFICE': 'GA',
  'BALTIMORE FIELD OFFICE': 'MD',
  'BIG BEND SECTOR': 'TX',
  'BLAINE SECTOR': 'WA',
  'BOSTON FIELD OFFICE': 'MA',
  'BUFFALO FIELD OFFICE': 'NY',
  'BUFFALO SECTOR': 'NY',
  'CHICAGO FIELD OFFICE': 'IL',
  'DEL RIO SECTOR': 'TX',
  'DETROIT FIELD OFFICE': 'MI',
  'DETROIT SECTOR': 'MI',
  'EL CENTRO SECTOR': 'CA',
  'EL PASO FIELD OFFICE': 'TX',
  'EL PASO SECTOR': 'TX',
  'GRAND FORKS SECTOR': 'ND',
  'HAVRE SECTOR': 'MT',
  'HOULTON SECTOR': 'ME',
  'HOUSTON FIELD OFFICE': 'TX',
  'LAREDO FIELD OFFICE': 'TX',
  'LAREDO SECTOR': 'TX',
  'LOS ANGELES FIELD OFFICE': 'CA',
  'MIAMI FIELD OFFICE': 'FL',
  'MIAMI SECTOR': 'FL',
  'NEW ORLEANS FIELD OFFICE': 'LA',
  'NEW ORLEANS SECTOR': 'LA',
  'NEW YORK FIELD OFFICE': 'NY',
  'PORTLAND FIELD OFFICE': 'OR',
  'RAMEY SECTOR': 'PR',
  'RIO GRANDE VALLEY SECTOR': 'TX',
  'SAN DIEGO FIELD OFFICE': 'CA',
  'SAN DIEGO SECTOR': 'CA',
  'SAN FRANCISCO FIELD OFFICE': 'CA',
  'SAN JUAN FIELD OFFICE': 'PR',
  'SEATTLE FIELD OFFICE': 'WA',
  'SPOKANE SECTOR': 'WA',
  'SWANTON SECTOR': 'VT',
  'TAMPA FIELD OFFICE': 'FL',
  'TUCSON FIELD OFFICE': 'AZ',
  'TUCSON SECTOR': 'AZ',
  'YUMA SECTOR': 'AZ',
};

/** The USPS code of the state an area of responsibility is headquartered in, or null when unknown. */
export function areaState(area: string): string | null {
  return AREA_STATE[area.trim().toUpperCase()] ?? null;
}
