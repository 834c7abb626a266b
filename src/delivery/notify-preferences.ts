/** Who said `/deploy-status notify off`: a record per user, absent = notified. Kept until they say `on`. */
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';

export interface NotifyPreferences {
  isOptedOut(user: string): Promise<boolean>;
  setNotify(user: string, on: boolean): Promise<void>;
}

export function createNotifyPreferences(store: Store, now: () => number): NotifyPreferences {
  return {
    async isOptedOut(user) {
      return (await store.get(storeKeys.notifyOptOut(user))) !== undefined;
    },
    async setNotify(user, on) {
      const key = storeKeys.notifyOptOut(user);
      if (on) return store.delete(key);
      const current = await store.get(key);
      if (current) return;
      // A concurrent `off` that wrote first leaves the same answer: opted out.
      await store.compareAndSet(key, { at: now() }, 0);
    },
  };
}
