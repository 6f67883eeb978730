// @ts-check
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/**
 * ESLint for jointplan: typescript-eslint's strict and stylistic type-checked
 * rules over every TypeScript file (src, tests, benchmarks, the planner's
 * page in web/, vitest.config.ts), the type information coming from the
 * nearest tsconfig (web/ and tests/web/ have their own, with the DOM) through
 * the project service. Formatting is Prettier's alone
 * (`prettier --check .` in `npm run lint`); none of these rules format.
 */
export default defineConfig(
  // The client types are generated from the served OpenAPI document (tests/http/openapi-client.test.ts keeps them current).
  { ignores: ["dist/", "coverage/", "node_modules/", "scratch/", "tests/http/client/api.generated.ts"] },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  {
    files: ["src/**/*.ts", "tests/**/*.ts", "benchmarks/**/*.ts", "web/**/*.ts", "vitest.config.ts"],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Already in strictTypeChecked; named here because the code relies on it: undefined from an
      // index (noUncheckedIndexedAccess) is handled, never asserted away with `!`.
      "@typescript-eslint/no-non-null-assertion": "error",
      // Numbers read well in messages as they are ("capacity 120000 of 1150"); String(n) everywhere
      // would be noise. Everything else (objects, unknown, nullish) still has to be made a string.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // Shorthand callbacks such as `child.once("exit", (code) => resolve(code))` stay allowed; a void
      // expression returned from a block body or used inside another expression is still reported.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      // A leading underscore marks a deliberately unused binding (a callback's position argument, a
      // key dropped with a rest sibling: `const { $schema: _, ...body } = …`).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    // The few plain JavaScript files: this config, the CLI launcher, a test worker entry.
    files: ["**/*.js", "**/*.mjs"],
    extends: [js.configs.recommended],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
