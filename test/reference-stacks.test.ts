import { readdirSync } from 'fs';
import { join } from 'path';
import { Testing } from 'cdktf';
import { addSpecStack } from '../stacks/main';

const specDir = join(__dirname, '..', 'stacks', 'specs');
const files = readdirSync(specDir).filter((f) => f.endsWith('.json')).sort();

function synthFile(file: string): string {
  const app = Testing.app();
  const stack = addSpecStack(app, join(specDir, file));
  return Testing.synth(stack);
}

describe('reference stacks', () => {
  it('ships the two AWS reference specs', () => {
    expect(files).toEqual(expect.arrayContaining(['aws-byoc-hipaa.json', 'aws-managed-baseline.json']));
  });

  it.each(files)('%s synthesizes to the snapshot', (file) => {
    expect(JSON.parse(synthFile(file))).toMatchSnapshot();
  });

  it.each(files)('%s synthesizes deterministically', (file) => {
    expect(synthFile(file)).toBe(synthFile(file));
  });

  it('fails with the file name and every problem for a bad spec file', () => {
    const app = Testing.app();
    expect(() => addSpecStack(app, join(__dirname, 'fixtures', 'bad-spec.json'))).toThrow(
      /bad-spec\.json: 3 problems[\s\S]*spec\.name[\s\S]*spec\.sandboxPools\[0\]\.virtualization[\s\S]*spec\.gpuPools\[0\]\.gpu/);
  });
});
