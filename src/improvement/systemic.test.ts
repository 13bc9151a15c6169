import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterInWindow } from './systemic.ts';

const DAY = 86_400_000;
const at = (id: string, day: number) => ({ id, at: day * DAY });

describe('systemic window and threshold', () => {
  it('needs the threshold reached within the window', () => {
    expect(clusterInWindow([at('a', 0), at('b', 3), at('c', 6)], 7, 3)?.map((x) => x.id)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(clusterInWindow([at('a', 0), at('b', 3), at('c', 8)], 7, 3)).toBeNull();
    expect(clusterInWindow([at('a', 0), at('b', 3)], 7, 3)).toBeNull();
    expect(clusterInWindow([], 7, 1)).toBeNull();
  });
  it('slides: an old complaint drops out, later ones can still form a cluster', () => {
    const items = [at('old', 0), at('b', 20), at('c', 22), at('d', 25)];
    expect(clusterInWindow(items, 7, 3)?.map((x) => x.id)).toEqual(['b', 'c', 'd']);
    expect(clusterInWindow(items, 7, 4)).toBeNull();
    expect(clusterInWindow(items, 30, 4)?.map((x) => x.id)).toEqual(['old', 'b', 'c', 'd']);
  });
  it('takes every complaint within the window of the first one, in order, regardless of input order', () => {
    expect(
      clusterInWindow([at('d', 5), at('a', 0), at('c', 2), at('b', 1), at('z', 40)], 7, 2)?.map((x) => x.id),
    ).toEqual(['a', 'b', 'c', 'd']);
  });
  it('the window includes both ends', () => {
    expect(clusterInWindow([at('a', 0), at('b', 7)], 7, 2)).not.toBeNull();
    expect(
      clusterInWindow(
        [
          { id: 'a', at: 0 },
          { id: 'b', at: 7 * DAY + 1 },
        ],
        7,
        2,
      ),
    ).toBeNull();
  });
  it('agrees with a brute force count (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 8 }),
        (days, w, n) => {
          const items = days.map((d, i) => at(`c${String(i).padStart(2, '0')}`, d));
          const brute = days.some((d0) => days.filter((d) => d >= d0 && d - d0 <= w).length >= n);
          const found = clusterInWindow(items, w, n);
          expect(found !== null).toBe(brute);
          if (found) {
            expect(found.length).toBeGreaterThanOrEqual(n);
            expect(found[found.length - 1]!.at - found[0]!.at).toBeLessThanOrEqual(w * DAY);
          }
        },
      ),
    );
  });
});
