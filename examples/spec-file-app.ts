// The README's spec-file app, verbatim below the marker (test/consumer-readme.test.ts runs it next to
// the README's specs/prod.json). Run: npm run build && node -r ./register.js examples/spec-file-app.ts
// from a directory that has specs/prod.json (package imports resolve to dist/ by self-reference).
// --- readme ---
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AwsSandboxPlatform, applyBackend, exitOnSpecError, loadSpecFile } from 'cdktf-sandbox-byoc';

exitOnSpecError();
const file = loadSpecFile('specs/prod.json'); // validated: every problem, with its path in the file
const app = new App();
const stack = new TerraformStack(app, 'prod');
applyBackend(stack, file.backend, { region: file.target.region });
new AwsProvider(stack, 'aws', { region: file.target.region });
new AwsSandboxPlatform(stack, 'platform', { spec: file.spec, region: file.target.region });
app.synth();
