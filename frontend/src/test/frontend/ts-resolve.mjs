// Lets Node's test runner load the front-end modules as Vite does: relative imports without an extension
// ('./spans') resolve to the TypeScript file ('./spans.ts'); Node then strips the types.
// Used as: node --import ./src/test/frontend/ts-resolve.mjs --test 'src/test/frontend/**/*.test.ts'
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (e) {
      if ((specifier.startsWith('./') || specifier.startsWith('../')) && !/\.[cm]?[jt]s$/.test(specifier)) {
        return nextResolve(`${specifier}.ts`, context);
      }
      throw e;
    }
  },
});
