import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ComplianceRule, RuleId, allRules } from '../lib/compliance';
import { CloudProvider, ComplianceProfile } from '../lib/spec';

/**
 * docs/compliance-rules.md (shipped in the package, linked from the README) is generated from the
 * rules themselves, so it cannot drift from what synth enforces. Regenerate after adding or
 * changing a rule: UPDATE_DOCS=1 npx jest test/consumer-docs.test.ts
 */
const file = join(__dirname, '..', 'docs', 'compliance-rules.md');
const ORDER = [ComplianceProfile.BASELINE, ComplianceProfile.SOC2, ComplianceProfile.HIPAA];
const CLOUD_TITLE: { [c in CloudProvider]: string } = { [CloudProvider.AWS]: 'AWS', [CloudProvider.GCP]: 'GCP', [CloudProvider.AZURE]: 'Azure' };

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function row(r: ComplianceRule): string {
  const from = ORDER.find((p) => r.profiles.includes(p))!;
  const advisory = r.advisoryProfiles.length > 0 ? ` (advisory: ${r.advisoryProfiles.join(', ')})` : '';
  const controls = [
    r.controls.hipaa.length ? `HIPAA ${r.controls.hipaa.join(', ')}` : '',
    r.controls.soc2.length ? `SOC 2 ${r.controls.soc2.join(', ')}` : '',
    r.controls.cis.length ? `CIS ${r.controls.cis.join(', ')}` : '',
  ].filter(Boolean).join('; ');
  const upstream = [...r.upstream.checkov, ...r.upstream.cdkNag].join(', ') || 'none';
  return `| ${r.id} | ${cell(r.title)} | ${cell(r.description)} | ${r.resourceTypes.map((t) => `\`${t}\``).join(', ')} | ${from}${advisory} | ${controls} | ${upstream} |`;
}

export function renderRuleDoc(rules: ComplianceRule[]): string {
  const lines = [
    '# Compliance rules',
    '',
    'Generated from the rules (`allRules()`, lib/compliance/rules) by test/consumer-docs.test.ts; do not edit by hand.',
    '',
    'Each rule is a pure function over the synthesized Terraform JSON of a stack (overrides included), so it also checks',
    'the resources you add beside the platform. "Enforced from" is the least strict profile whose pack fails synth on a',
    'violation (baseline < soc2 < hipaa); an advisory listing reports violations as warnings. A resource a rule cannot',
    'evaluate at synth (a value computed only at apply, a resource outside the stack) is reported as not evaluated, never',
    'as pass. SOC 2 prescribes no settings: its mappings are interpretations.',
  ];
  for (const cloud of [CloudProvider.AWS, CloudProvider.GCP, CloudProvider.AZURE]) {
    lines.push('', `## ${CLOUD_TITLE[cloud]}`, '', '| id | title | requirement | evaluates | enforced from | controls | upstream |', '|---|---|---|---|---|---|---|');
    lines.push(...rules.filter((r) => r.clouds.includes(cloud)).map(row));
  }
  return `${lines.join('\n')}\n`;
}

describe('docs/compliance-rules.md', () => {
  it('is generated from the rules (UPDATE_DOCS=1 npx jest test/consumer-docs.test.ts)', () => {
    const text = renderRuleDoc(allRules());
    if (process.env.UPDATE_DOCS) writeFileSync(file, text);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('lists every rule id once', () => {
    const text = readFileSync(file, 'utf8');
    for (const id of Object.values(RuleId)) expect({ id, rows: text.split('\n').filter((l) => l.startsWith(`| ${id} |`)).length }).toEqual({ id, rows: 1 });
  });
});
