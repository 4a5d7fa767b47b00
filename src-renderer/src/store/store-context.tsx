import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './types';

const StoreContext = createContext<AppStore | null>(null);

export function AppStoreProvider({ store, children }: { store: AppStore; children: ReactNode }): React.JSX.Element {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** Selects from the app store; pick single fields (or use useShallow) so unrelated updates do not re-render. */
export function useApp<Selected>(selector: (state: AppState) => Selected): Selected {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('useApp outside AppStoreProvider');
  return useStore(store, selector);
}
