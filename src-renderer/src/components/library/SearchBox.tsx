import { useEffect } from 'react';
import { useApp } from '../../store/store-context';

const SEARCH_DEBOUNCE_MS = 250;

export function SearchBox(): React.JSX.Element {
  const query = useApp((state) => state.searchQuery);
  const setSearchQuery = useApp((state) => state.setSearchQuery);
  const runSearch = useApp((state) => state.runSearch);

  useEffect(() => {
    if (query.trim() === '') return undefined;
    const timer = window.setTimeout(() => void runSearch(query), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [query, runSearch]);

  return (
    <div className="search-box">
      <input
        type="search"
        className="search-input"
        data-testid="search-input"
        aria-label="Search all transcripts"
        placeholder="Search all transcripts…"
        value={query}
        onChange={(event) => setSearchQuery(event.target.value)}
      />
    </div>
  );
}
