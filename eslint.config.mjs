import tseslint from 'typescript-eslint';

const providerRoot = ['aws', 'google', 'azurerm'].flatMap((p) => [
  {
    name: `@cdktf/provider-${p}`,
    message: `Import the resource module (@cdktf/provider-${p}/lib/<resource>), never the package root: the root loads every binding (~4 s, ~1.4 GB per process, for us and every consumer).`,
  },
]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'cdktf.out/**', '.gen/**', '.venv/**', 'bench/naive/**', 'bench/consumer/**', 'bench/.build/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: providerRoot }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // CDK Terrain's bindings extend another copy of the core library: instanceof on its classes
      // is false for them. Use the static checks (TerraformResource.isTerraformResource, ...).
      'no-restricted-syntax': ['error', {
        selector: "BinaryExpression[operator='instanceof'][right.name=/^(Terraform|App$|Testing$|TerraformStack$)/]",
        message: 'instanceof on a cdktf core class fails for bindings built on another copy of the core library (CDK Terrain): use the static is... check (e.g. TerraformResource.isTerraformResource, TerraformStack.isStack).',
      }],
    },
  },
  {
    // The Python API (issue 13, npm run package) is compiled by jsii, which rejects readonly arrays
    // in the public API. This catches them at lint time; jsii itself has the last word in CI.
    // Excluded: modules whose types are @jsii ignore'd or not exported (CLI, pricing, catalogs).
    files: ['lib/**/*.ts'],
    ignores: ['lib/cli/**', 'lib/spec/pricing/**', 'lib/spec/catalog/**', 'lib/spec/fields.ts', 'lib/gcp/placement.ts', 'lib/common/spec-file-stack/**'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "TSPropertySignature > TSTypeAnnotation > TSTypeOperator[operator='readonly']",
        message: 'jsii (the Python package) rejects readonly arrays in the public API: write T[] (a readonly property of type T[]).',
      }, {
        selector: "ClassBody > MethodDefinition:not([accessibility='private']):not([accessibility='protected']) > FunctionExpression > Identifier > TSTypeAnnotation > TSTypeOperator[operator='readonly']",
        message: 'jsii (the Python package) rejects readonly arrays in public method parameters: write T[].',
      }, {
        selector: "BinaryExpression[operator='instanceof'][right.name=/^(Terraform|App$|Testing$|TerraformStack$)/]",
        message: 'instanceof on a cdktf core class fails for bindings built on another copy of the core library (CDK Terrain): use the static is... check (e.g. TerraformResource.isTerraformResource, TerraformStack.isStack).',
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
