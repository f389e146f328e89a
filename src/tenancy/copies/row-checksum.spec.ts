import { Readable } from 'node:stream';
import { checksumOf, RowChecksum } from './row-checksum.js';

const rows = ['1\tAda\t{}', '2\tGrace\t{"x": "é"}', '3\tLinus\t\\N'];

describe('row checksum', () => {
  it('is the same whatever the rows order and however the text is chunked', async () => {
    const a = await checksumOf(Readable.from([Buffer.from(rows.join('\n') + '\n')]));
    const text = Buffer.from([...rows].reverse().join('\n') + '\n');
    const bytes = [...text].map((b) => Buffer.from([b])); // one byte a chunk: 'é' split in two
    const b = await checksumOf(Readable.from(bytes));
    expect(b).toEqual(a);
    expect(a.rows).toBe(3);
  });

  it('changes with one changed, missing or extra row', async () => {
    const of = (list: string[]) => {
      const sum = new RowChecksum();
      sum.add(list.join('\n') + '\n');
      return sum.digest();
    };
    const base = of(rows);
    expect(of([rows[0], rows[1], '3\tLinus\tx'])).not.toBe(base);
    expect(of(rows.slice(0, 2))).not.toBe(base);
    expect(of([...rows, rows[0]])).not.toBe(base);
  });
});
