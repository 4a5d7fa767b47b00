import { useEffect } from 'react';
import { ImportButton } from '../components/library/ImportButton';
import { MeetingList } from '../components/library/MeetingList';
import { SearchBox } from '../components/library/SearchBox';
import { SearchResults } from '../components/library/SearchResults';
import { useApp } from '../store/store-context';

export function LibraryScreen(): React.JSX.Element {
  const searching = useApp((state) => state.searchQuery.trim() !== '');
  const loadMeetings = useApp((state) => state.loadMeetings);

  useEffect(() => {
    void loadMeetings();
  }, [loadMeetings]);

  return (
    <section className="library-screen" aria-labelledby="library-title">
      <header className="screen-header">
        <h1 id="library-title">Library</h1>
        <ImportButton />
      </header>
      <SearchBox />
      <div className="scroll-area">{searching ? <SearchResults /> : <MeetingList />}</div>
    </section>
  );
}
