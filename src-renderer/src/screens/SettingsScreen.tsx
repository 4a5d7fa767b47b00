import { DeviceSettings } from '../components/settings/DeviceSettings';
import { ModelList } from '../components/settings/ModelList';
import { SpeakerModelSettings } from '../components/settings/SpeakerModelSettings';
import { StorageSettings } from '../components/settings/StorageSettings';
import { TranscriptionSettings } from '../components/settings/TranscriptionSettings';
import { useApp } from '../store/store-context';

export function SettingsScreen(): React.JSX.Element {
  const version = useApp((state) => state.engineInfo?.version ?? null);
  return (
    <section className="settings-screen" aria-labelledby="settings-title">
      <header className="screen-header">
        <h1 id="settings-title">Settings</h1>
        {version !== null && <span className="muted">Verbatim {version}</span>}
      </header>
      <div className="scroll-area settings-sections">
        <ModelList />
        <SpeakerModelSettings />
        <TranscriptionSettings />
        <DeviceSettings />
        <StorageSettings />
      </div>
    </section>
  );
}
