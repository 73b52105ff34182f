import { AddressInfo } from 'node:net';
import { Browser, chromium } from 'playwright-core';
import { createTestApp, TestApp } from '../utils/create-test-app';

/** Swagger UI as a person sees it: Debian's chromium, headless, against the app on loopback. */
describe('Swagger UI in a browser (e2e)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // The machine's network is closed: keep Chromium from reaching for Google's services.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('renders every documented operation at /api/docs, without CSP violations', async () => {
    const doc = (await (await fetch(`${base}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${base}/api/docs`, { waitUntil: 'load' });
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(await page.locator('.opblock-summary-path', { hasText: '/api/tasks/{id}' }).count()).toBeGreaterThanOrEqual(
      3,
    );
    expect(await page.locator('.info .title').innerText()).toContain('task-api');
    expect(violations).toEqual([]);
  });
});
