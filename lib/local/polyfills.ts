// Node-22-only APIs that the local stand-ins rely on while this machine runs Node 20.
// aws-local-stepfunctions 3 calls `Promise.withResolvers()` in every Task state (it declares Node >= 22); without it
// every Task throws a TypeError that a `Catch: States.ALL` silently turns into the failure branch. So the polyfill is
// installed on import and `assertPolyfills()` refuses to start the Step Functions stand-in when it is missing.

interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type PromiseCtorWithResolvers = PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> };

const P = Promise as PromiseCtorWithResolvers;
if (typeof P.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor): Resolvers<T> {
      let resolve!: Resolvers<T>['resolve'];
      let reject!: Resolvers<T>['reject'];
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/** Throws unless every polyfill the local runtime needs is in place and behaves. */
export function assertPolyfills(): void {
  const withResolvers = (Promise as PromiseCtorWithResolvers).withResolvers;
  if (typeof withResolvers !== 'function') {
    throw new Error('Promise.withResolvers is missing: aws-local-stepfunctions would fail every Task state');
  }
  const r = withResolvers.call(Promise);
  if (!(r.promise instanceof Promise) || typeof r.resolve !== 'function' || typeof r.reject !== 'function') {
    throw new Error('Promise.withResolvers polyfill is broken');
  }
  r.resolve(undefined);
}
