import { staticSecurityHeaders } from 'src/common/http/security-headers';

describe('staticSecurityHeaders', () => {
  it('is what helmet would set, computed once', () => {
    const set = staticSecurityHeaders({
      contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      frameguard: { action: 'deny' },
      hsts: false,
    });
    expect(set['Content-Security-Policy']).toMatch(/^default-src 'none';.*frame-ancestors 'none'/);
    expect(set).toMatchObject({ 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' });
    expect(set).not.toHaveProperty('Strict-Transport-Security');
  });

  it('throws when helmet refuses the options', () => {
    expect(() =>
      staticSecurityHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ['not a source;'] } } }),
    ).toThrow();
  });
});
