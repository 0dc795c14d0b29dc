/**
 * Keeps the studio's set-up in the URL hash so that a reload or a shared link reproduces it: read
 * when the page opens and again when someone edits or pastes a link in the same tab, written back
 * with replaceState as the set-up changes (so the back button is not flooded with every keystroke).
 * A malformed hash gives the defaults and a list of what was ignored, never an exception.
 */
import { useEffect } from 'react';
import { decodeLink, encodeLink, type StudioLink } from '../../core/settings/studioLink';

export function readLink(): { link: StudioLink; problems: string[] } {
  return decodeLink(typeof location === 'undefined' ? '' : location.hash);
}

/** `onLinkChanged` receives each link typed or pasted into the address bar after the page opened. */
export function useStudioLink(current: StudioLink, onLinkChanged: (link: StudioLink, problems: string[]) => void): void {
  useEffect(() => {
    const listener = () => {
      const { link, problems } = readLink();
      onLinkChanged(link, problems);
    };
    window.addEventListener('hashchange', listener);
    return () => window.removeEventListener('hashchange', listener);
  }, [onLinkChanged]);

  const encoded = encodeLink(current);
  useEffect(() => {
    if (encoded === location.hash.replace(/^#/, '')) return;
    // replaceState fires no hashchange, so this write is not read back as a new link.
    history.replaceState(history.state, '', `${location.pathname}${location.search}${encoded ? `#${encoded}` : ''}`);
  }, [encoded]);
}
