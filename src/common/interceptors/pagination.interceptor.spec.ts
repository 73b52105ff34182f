import { Page } from 'src/common/dto/pagination-query.dto';
import { pageLinks } from 'src/common/interceptors/pagination.interceptor';

describe('pageLinks', () => {
  it('has only next on the first page', () => {
    expect(pageLinks('/api/tasks', new Page([], 120, 50, 0))).toBe('</api/tasks?limit=50&offset=50>; rel="next"');
  });

  it('has next and prev in the middle, keeping other query parameters', () => {
    expect(pageLinks('/api/tasks?done=true&offset=50', new Page([], 120, 50, 50))).toBe(
      '</api/tasks?done=true&offset=100&limit=50>; rel="next", </api/tasks?done=true&offset=0&limit=50>; rel="prev"',
    );
  });

  it('has only prev on the last page, and never a negative offset', () => {
    expect(pageLinks('/api/tasks?limit=50&offset=110', new Page([], 120, 50, 110))).toBe(
      '</api/tasks?limit=50&offset=60>; rel="prev"',
    );
    expect(pageLinks('/api/tasks?limit=50&offset=10', new Page([], 20, 50, 10))).toBe(
      '</api/tasks?limit=50&offset=0>; rel="prev"',
    );
  });

  it('has no links when one page holds everything', () => {
    expect(pageLinks('/api/tasks', new Page([], 3, 50, 0))).toBe('');
  });
});

describe('pageLinks of a list paged by key', () => {
  it('points next after the last row, dropping the offset and keeping the filter', () => {
    expect(pageLinks('/api/tasks?done=true&limit=20', new Page([], 1_000_000, 20, 0, 4711))).toBe(
      '</api/tasks?done=true&limit=20&after_id=4711>; rel="next"',
    );
    expect(pageLinks('/api/tasks?after_id=10&offset=40&limit=20', new Page([], 1_000_000, 20, 40, 99))).toBe(
      '</api/tasks?after_id=99&limit=20>; rel="next", </api/tasks?after_id=10&offset=20&limit=20>; rel="prev"',
    );
  });

  it('has no next on the last page, whatever the total says', () => {
    expect(pageLinks('/api/tasks?after_id=10&limit=20', new Page([], 1_000_000, 20, 0, null))).toBe('');
  });
});
