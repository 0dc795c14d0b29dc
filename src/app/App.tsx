import { BackendBadge } from './BackendBadge';
import { useBackend } from './useBackend';

export function App() {
  const backend = useBackend();
  return (
    <div className="app">
      <header className="app__header">
        <h1>Prompt Tuning Studio</h1>
        <BackendBadge state={backend} />
      </header>
      <main className="app__main">
        <p>
          Train soft prompts for a frozen T5 on your own GPU. Your data never leaves this machine.
        </p>
      </main>
    </div>
  );
}
