// ESLint 9 flat config (`npm run lint`, part of `npm test`). typescript-eslint's recommended rules
// (syntax only: no type information, so the whole tree lints in seconds), a few of ours, and the
// architecture as import rules: src/core never imports vscode or the extension, the extension never
// loads sql.js or the store (the engine runs in the worker thread), the CLI never imports vscode.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import rules shared by the restricted-imports options below (one list per folder). */
const VSCODE = { name: 'vscode', message: 'Only src/extension/ touches vscode: the engine and the CLI run in plain Node.' };
const EXTENSION = {
  group: ['**/extension', '**/extension/**'],
  message: 'src/core/ and src/cli/ never import the extension: it depends on them, not the other way round.',
};

/** `@typescript-eslint/no-restricted-imports` (also checks `import type` and `export … from`). */
function restrict(paths, patterns) {
  return ['error', { paths, patterns }];
}

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'out/', '.tmp/', '.vscode-test/', '.harness/', 'test-results/', 'bench/results/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      eqeqeq: ['error', 'smart'],
      'no-throw-literal': 'error',
      'no-restricted-imports': 'off', // the typescript-eslint version below replaces it
      // tsc (noUnusedLocals/noUnusedParameters) already reports unused names; a second report only adds noise.
      '@typescript-eslint/no-unused-vars': 'off',
      // Deliberate style: `catch {}` / `() => {}` with a comment marking a best-effort step.
      'no-empty': ['error', { allowEmptyCatch: true }],
      '@typescript-eslint/no-empty-function': 'off',
      // Deliberate: path checks, the tokenizer and terminal output match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([VSCODE], [EXTENSION]) },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([VSCODE], [EXTENSION]) },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        [{ name: 'sql.js', message: 'The extension never loads sql.js: the database lives in the engine worker (src/core/worker/).' }],
        [
          {
            group: ['**/core/store', '**/core/store/**'],
            message: 'The extension reaches the store only through the engine worker (src/core/worker/client.ts).',
          },
        ],
      ),
    },
  },
  {
    files: ['test/unit/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([{ ...VSCODE, message: 'Unit tests run in plain Node: a test that needs vscode is an integration spec.' }], []) },
  },
  {
    // Plain Node scripts: CommonJS build scripts (esbuild.js, media/make-icon.js, the bench's probe
    // extension) and the bench's ES-module baseline (bench/baseline/*.mjs).
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
);
