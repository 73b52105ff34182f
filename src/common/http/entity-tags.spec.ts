import { BadRequestException } from '@nestjs/common';
import { entityTag, matchingVersions, noneMatchHits, parseEntityTags } from 'src/common/http/entity-tags';

describe('entity tags', () => {
  it('formats a version as a strong tag', () => {
    expect(entityTag(3)).toBe('"3"');
  });

  it('reads *, one tag, a list, and weak tags', () => {
    expect(parseEntityTags('*', 'If-Match')).toEqual({ any: true });
    expect(parseEntityTags('"3"', 'If-Match')).toEqual({ any: false, tags: [{ weak: false, opaque: '3' }] });
    expect(parseEntityTags(' W/"1" ,"2",  "x"', 'If-Match')).toEqual({
      any: false,
      tags: [
        { weak: true, opaque: '1' },
        { weak: false, opaque: '2' },
        { weak: false, opaque: 'x' },
      ],
    });
  });

  it.each(['', '"x y"', '3', '"3', '"3" junk', 'W/3', '"a"b"', '*, "1"', ','])('refuses %j with 400', (value) => {
    expect(() => parseEntityTags(value, 'If-Match')).toThrow(BadRequestException);
  });

  it('If-Match compares strongly: weak tags and tags never issued match no version', () => {
    expect(matchingVersions(undefined)).toBeUndefined();
    expect(matchingVersions({ any: true })).toBeUndefined();
    expect(matchingVersions(parseEntityTags('"2", W/"3", "abc", "0", "01", "99999999999"', 'If-Match'))).toEqual([2]);
  });

  it('If-None-Match compares weakly and * matches any version', () => {
    expect(noneMatchHits(undefined, 1)).toBe(false);
    expect(noneMatchHits({ any: true }, 1)).toBe(true);
    expect(noneMatchHits(parseEntityTags('W/"4"', 'If-None-Match'), 4)).toBe(true);
    expect(noneMatchHits(parseEntityTags('"4"', 'If-None-Match'), 5)).toBe(false);
  });
});
