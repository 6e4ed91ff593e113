/**
 * The README's cost table of the reference specs: explain documents (what `explain --format json`
 * prints) as one markdown table. test/cli-readme.test.ts keeps the README's copy in step
 * (UPDATE_DOCS=1 npx jest test/cli-readme.test.ts regenerates it).
 */
import { basename } from 'path';
import { CostLine, ExplainDocument } from './model';
import { money, moneyRange, quantityText, unitPrice } from './render';

function nodes(l: CostLine): string {
  return l.minNodes === l.maxNodes ? `${l.minNodes}` : `${l.minNodes}..${l.maxNodes}`;
}

/** Markdown: one row per pool, fixed line and total per spec, then dates, sources, exclusions and the disclaimer. */
export function renderCostTable(docs: readonly ExplainDocument[]): string {
  const lines = [
    '| reference spec | target | pool | type | nodes | per node-hour | hourly (min .. max nodes) | monthly (min .. max nodes) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const d of docs) {
    const spec = basename(d.file, '.json');
    const target = `${d.target.cloud} ${d.target.region}`;
    for (const l of d.cost.pools) {
      lines.push(`| ${spec} | ${target} | ${l.name} | \`${l.instanceType}\` | ${nodes(l)} | ${money(l.hourlyPerNode, 4)} | ${moneyRange(l.hourly)} | ${moneyRange(l.monthly)} |`);
    }
    if (d.cost.fixed.length === 0) {
      lines.push(`| ${spec} | ${target} | **total**${d.cost.complete ? '' : ' (incomplete)'} | | | | ${moneyRange(d.cost.totalHourly)} | ${moneyRange(d.cost.totalMonthly)} |`);
      continue;
    }
    lines.push(`| ${spec} | ${target} | pools total${d.cost.complete ? '' : ' (incomplete)'} | | | | ${moneyRange(d.cost.totalHourly)} | ${moneyRange(d.cost.totalMonthly)} |`);
    for (const f of d.cost.fixed) {
      const type = f.instanceType ? `\`${f.instanceType}\` ` : '';
      lines.push(`| ${spec} | ${target} | ${f.item} | ${type}| x${quantityText(f)} | ${unitPrice(f)} | ${moneyRange(f.hourly)} | ${moneyRange(f.monthly)} |`);
    }
    lines.push(`| ${spec} | ${target} | **platform total**${d.cost.platformComplete ? '' : ' (incomplete)'} | | | | ${moneyRange(d.cost.platformHourly)} | ${moneyRange(d.cost.platformMonthly)} |`);
  }
  const dates = [...new Set(docs.flatMap((d) => d.cost.priceDates))].sort();
  const sources = [...new Set(docs.flatMap((d) => d.cost.sources))].sort();
  const disclaimers = [...new Set(docs.map((d) => d.cost.disclaimer))];
  const excluded = [...new Set(docs.flatMap((d) => d.cost.excluded))];
  lines.push('', `Prices as of ${dates.join(', ') || 'unknown'}; ${docs[0]?.cost.hoursPerMonth ?? 730} hours per month; USD. Sources:${sources.length ? '' : ' none yet.'}`);
  for (const s of sources) lines.push(`- ${s}`);
  if (excluded.length > 0) lines.push('', 'Not included:', ...excluded.map((x) => `- ${x}`));
  lines.push('', ...disclaimers);
  return `${lines.join('\n')}\n`;
}
