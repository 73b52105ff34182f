import { CallHandler, ExecutionContext } from '@nestjs/common';
import { firstValueFrom, Observable, Subject, throwError } from 'rxjs';
import type { LimitsConfig } from 'src/config/limits.config';
import { UserConcurrencyInterceptor } from 'src/throttling/user-concurrency.interceptor';

const tick = () => new Promise((r) => setImmediate(r));
const limits = { requestsInFlightPerUser: 2 } as LimitsConfig;
const contextFor = (user?: { id: number }) =>
  ({ switchToHttp: () => ({ getRequest: () => ({ user }) }) }) as unknown as ExecutionContext;

/** Handlers that run until finished by hand, recording the order they started in. */
function harness(interceptor: UserConcurrencyInterceptor) {
  const started: string[] = [];
  const finish = new Map<string, Subject<string>>();
  const request = (label: string, user?: { id: number }) => {
    const handler: CallHandler = {
      handle: () =>
        new Observable<string>((subscriber) => {
          started.push(label);
          const done = new Subject<string>();
          finish.set(label, done);
          return done.subscribe(subscriber);
        }),
    };
    return firstValueFrom(interceptor.intercept(contextFor(user), handler));
  };
  const end = async (label: string) => {
    const done = finish.get(label)!;
    done.next(label);
    done.complete();
    await tick();
  };
  return { started, request, end };
}

describe('UserConcurrencyInterceptor', () => {
  it("handles at most N of one user's requests at once, the rest in arrival order", async () => {
    const h = harness(new UserConcurrencyInterceptor(limits));
    const answers = ['a', 'b', 'c', 'd'].map((label) => h.request(label, { id: 1 }));
    await tick();
    expect(h.started).toEqual(['a', 'b']);
    await h.end('b');
    expect(h.started).toEqual(['a', 'b', 'c']);
    await h.end('a');
    await h.end('c');
    await h.end('d');
    await expect(Promise.all(answers)).resolves.toEqual(['a', 'b', 'c', 'd']);
  });

  it("never holds another user's request, nor an anonymous one, behind a busy user", async () => {
    const h = harness(new UserConcurrencyInterceptor(limits));
    for (const label of ['a', 'b', 'c']) void h.request(label, { id: 1 });
    void h.request('other', { id: 2 });
    void h.request('anonymous');
    await tick();
    expect([...h.started].sort()).toEqual(['a', 'anonymous', 'b', 'other']);
  });

  it('gives the turn back when a handler fails', async () => {
    const interceptor = new UserConcurrencyInterceptor({ requestsInFlightPerUser: 1 } as LimitsConfig);
    const failing: CallHandler = { handle: () => throwError(() => new Error('boom')) };
    await expect(firstValueFrom(interceptor.intercept(contextFor({ id: 1 }), failing))).rejects.toThrow('boom');
    const h = harness(interceptor);
    void h.request('next', { id: 1 });
    await tick();
    expect(h.started).toEqual(['next']);
  });

  it('gives the turn back when the request is abandoned before its answer', async () => {
    const interceptor = new UserConcurrencyInterceptor({ requestsInFlightPerUser: 1 } as LimitsConfig);
    const never: CallHandler = { handle: () => new Observable<string>(() => undefined) };
    const subscription = interceptor.intercept(contextFor({ id: 1 }), never).subscribe();
    await tick();
    subscription.unsubscribe();
    const h = harness(interceptor);
    void h.request('next', { id: 1 });
    await tick();
    expect(h.started).toEqual(['next']);
  });

  it('drops a request abandoned while it waits: its turn goes to the next one, and is not lost', async () => {
    const interceptor = new UserConcurrencyInterceptor({ requestsInFlightPerUser: 1 } as LimitsConfig);
    const h = harness(interceptor);
    const first = h.request('first', { id: 1 });
    const never: CallHandler = { handle: () => new Observable<string>(() => undefined) };
    const abandoned = interceptor.intercept(contextFor({ id: 1 }), never).subscribe();
    const last = h.request('last', { id: 1 });
    await tick();
    abandoned.unsubscribe();
    await h.end('first');
    expect(h.started).toEqual(['first', 'last']);
    await h.end('last');
    await expect(Promise.all([first, last])).resolves.toEqual(['first', 'last']);
    // Every turn came back: the user may run one more request at once.
    void h.request('again', { id: 1 });
    await tick();
    expect(h.started).toEqual(['first', 'last', 'again']);
  });
});
