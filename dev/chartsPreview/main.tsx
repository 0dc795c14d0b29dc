import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The app's stylesheet: the charts read its theme variables (--panel, --accent, …).
import '../../src/app/app.css';
import { ChartsPreview } from './ChartsPreview';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ChartsPreview />
  </StrictMode>,
);
