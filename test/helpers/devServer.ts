/** The app's servers for end-to-end tests live in tools/ (the benchmarks start them too). */
export { startBuiltApp, startDevServer, type DevServer } from '../../tools/appServer';
