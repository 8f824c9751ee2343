// The package version (bundled from package.json by esbuild; read directly when run from source).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION: string = (require('../../package.json') as { version: string }).version;
