import { RedisStore } from '../../../../src/store/redis-store.js';
import { type Store, StoreUnavailableError } from '../../../../src/store/store.js';

type Method = Exclude<keyof Store, 'kind'>;

interface FaultRule {
  /** One method, or several that do the same job (a version-checked write is compareAndSet or writeIfVersion). */
  method: Method | Method[];
  /** Decides on the call's arguments (key first) whether this call fails. */
  when: (args: unknown[]) => boolean;
  /** How many matching calls fail; default 1. */
  times?: number;
}

export interface FlakyStore {
  store: Store;
  /** Arms a fault: the next matching call throws as if Redis had gone away at that moment. */
  failNext(rule: FaultRule): void;
  /** Calls that failed because of an armed fault. */
  readonly injected: { method: Method; key: unknown }[];
}

/**
 * The real Redis store with one addition: a call can be made to fail at an exact point (say, between
 * two writes that belong together), which stopping redis-server cannot time. Everything else is Redis.
 */
export function createFlakyStore(url: string, prefix: string): FlakyStore {
  const real = new RedisStore({ url, prefix });
  const rules: (FaultRule & { left: number })[] = [];
  const injected: { method: Method; key: unknown }[] = [];
  const store = new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const rule = rules.find(
          (r) => r.left > 0 && ([] as Method[]).concat(r.method).includes(property as Method) && r.when(args),
        );
        if (rule) {
          rule.left -= 1;
          injected.push({ method: property as Method, key: args[0] });
          return Promise.reject(new StoreUnavailableError(new Error('injected: Redis went away')));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store,
    injected,
    failNext: (rule) => rules.push({ ...rule, left: rule.times ?? 1 }),
  };
}
