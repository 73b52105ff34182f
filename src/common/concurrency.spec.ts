import { FairConcurrencyLimit, FairLimitOptions, WorkRefusedError } from 'src/common/concurrency';

const tick = () => new Promise((r) => setImmediate(r));
const roomy: FairLimitOptions = { slots: 1, perClient: 100, perUsername: 100, backlog: 100 };

/** Tasks that run until released, recording the order they started in. */
function harness(limit: FairConcurrencyLimit) {
  const started: string[] = [];
  const release: Array<() => void> = [];
  const submit = (client: string, label: string, username = label) =>
    limit.run({ client, username }, async () => {
      started.push(label);
      await new Promise<void>((r) => release.push(r));
      return label;
    });
  const finishOne = async () => {
    release.shift()!();
    await tick();
  };
  return { started, submit, finishOne };
}

describe('FairConcurrencyLimit', () => {
  it('runs at most `slots` tasks at once, one client in arrival order', async () => {
    const limit = new FairConcurrencyLimit({ ...roomy, slots: 2 });
    const h = harness(limit);
    const results = ['a', 'b', 'c', 'd', 'e'].map((x) => h.submit('one', x));
    await tick();
    expect(h.started).toEqual(['a', 'b']);
    expect(limit.stats()).toMatchObject({ running: 2, queued: 3 });
    for (let i = 0; i < 5; i++) await h.finishOne();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(h.started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(limit.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it("serves clients fairly: a newcomer waits only for the running task, not the busy client's queue", async () => {
    const limit = new FairConcurrencyLimit(roomy);
    const h = harness(limit);
    const storm = Array.from({ length: 6 }, (_, i) => h.submit('storm', `s${i}`));
    await tick();
    const other = h.submit('other', 'o1');
    const third = h.submit('third', 't1');
    await tick();
    for (let i = 0; i < 8; i++) await h.finishOne();
    await Promise.all([...storm, other, third]);
    // s0 was running; the newcomers' first tasks come before the storm's second.
    expect(h.started).toEqual(['s0', 'o1', 't1', 's1', 's2', 's3', 's4', 's5']);
  });

  it('alternates two busy clients', async () => {
    const limit = new FairConcurrencyLimit(roomy);
    const h = harness(limit);
    const all = [0, 1, 2].flatMap((i) => [h.submit('a', `a${i}`), h.submit('b', `b${i}`)]);
    await tick();
    for (let i = 0; i < 6; i++) await h.finishOne();
    await Promise.all(all);
    expect(h.started).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });

  it('refuses a client beyond perClient, and a username beyond perUsername, while others still queue', async () => {
    const limit = new FairConcurrencyLimit({ ...roomy, perClient: 2, perUsername: 2 });
    const h = harness(limit);
    const queued = [h.submit('a', 'x1', 'x'), h.submit('a', 'y1', 'y')];
    await expect(h.submit('a', 'z1', 'z')).rejects.toMatchObject({ bound: 'client' });
    queued.push(h.submit('b', 'x2', 'x'));
    await expect(h.submit('c', 'x3', 'x')).rejects.toMatchObject({ bound: 'username' });
    queued.push(h.submit('c', 'w1', 'w'));
    expect(limit.stats()).toEqual({ running: 1, queued: 3, refused: { client: 1, username: 1, backlog: 0 } });
    for (let i = 0; i < 4; i++) await h.finishOne();
    await Promise.all(queued);
    // Finished work frees its keys.
    await tick();
    const again = h.submit('a', 'z2', 'x');
    await tick();
    await h.finishOne();
    await expect(again).resolves.toBe('z2');
  });

  it('refuses work beyond the backlog with a Retry-After of at least one second', async () => {
    const limit = new FairConcurrencyLimit({ ...roomy, backlog: 2 });
    const h = harness(limit);
    const queued = ['a', 'b', 'c'].map((c) => h.submit(c, c));
    const refusal = h.submit('d', 'd').catch((e: unknown) => e);
    await expect(refusal).resolves.toBeInstanceOf(WorkRefusedError);
    expect(await refusal).toMatchObject({ bound: 'backlog', retryAfterSeconds: expect.any(Number) });
    expect(((await refusal) as WorkRefusedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(limit.stats().refused.backlog).toBe(1);
    await tick();
    for (let i = 0; i < 3; i++) await h.finishOne();
    await Promise.all(queued);
  });

  it('frees the slot and the keys of a task that fails', async () => {
    const limit = new FairConcurrencyLimit({ ...roomy, perClient: 1 });
    const keys = { client: 'a', username: 'u' };
    await expect(limit.run(keys, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit.run(keys, () => Promise.resolve('next'))).resolves.toBe('next');
    expect(limit.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it('refuses bounds below one', () => {
    expect(() => new FairConcurrencyLimit({ ...roomy, slots: 0 })).toThrow('slots');
    expect(() => new FairConcurrencyLimit({ ...roomy, backlog: 1.5 })).toThrow('backlog');
  });
});
