/** Text rendering of the explain document (what `explain` prints without --format json). */
import { renderKubernetes } from './kubernetes';
import { CostLine, ExplainDocument, FixedLine, MoneyRange } from './model';

/** USD with cents and thousands separators; null is "unknown", never 0. */
export function money(x: number | null, decimals = 2): string {
  if (x === null) return 'unknown';
  return `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: decimals })}`;
}

/** A fixed line's unit price; "varies" when the estimator prices the line by node count (known range, no unit price). */
export function unitPrice(l: FixedLine): string {
  return l.unitHourly === null && l.hourly.min !== null ? 'varies' : money(l.unitHourly, 4);
}

/** A fixed line's count: "2..4" for a line of nodes that scales, else the quantity. */
export function quantityText(l: FixedLine): string {
  // Hand-made documents (tests) may lack maxQuantity.
  const max = (l as Partial<FixedLine>).maxQuantity ?? l.quantity;
  return max === l.quantity ? `${l.quantity}` : `${l.quantity}..${max}`;
}

/** "min .. max" (one value when equal), each bound "unknown" when its price is. */
export function moneyRange(r: MoneyRange): string {
  if (r.min === r.max) return money(r.min); // one figure, or "unknown" when neither bound is known
  return `${money(r.min)} .. ${money(r.max)}`;
}

/** Left-aligned columns; the last column is not padded. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
}

function backendText(b: ExplainDocument['backend']): string {
  const fields = Object.entries(b).filter(([k]) => k !== 'type').map(([k, v]) => `${k} ${v}`);
  return b.type === 'local' ? 'local state file (set "backend" in the spec file for remote state)' : `${b.type}${fields.length ? ` (${fields.join(', ')})` : ''}`;
}

function costRows(lines: readonly CostLine[]): string[][] {
  return lines.map((l) => [
    l.name, l.instanceType, l.minNodes === l.maxNodes ? `${l.minNodes}` : `${l.minNodes}..${l.maxNodes}`,
    money(l.hourlyPerNode, 4), moneyRange(l.hourly), moneyRange(l.monthly),
  ]);
}

function fixedRows(lines: readonly FixedLine[]): string[][] {
  return lines.map((l) => [
    (l as Partial<FixedLine>).instanceType ? `${l.item} (${l.instanceType})` : l.item,
    quantityText(l), unitPrice(l), moneyRange(l.hourly), moneyRange(l.monthly),
  ]);
}

/** The whole text of `explain`. */
export function renderExplain(doc: ExplainDocument): string {
  const out: string[] = [];
  const t = doc.target;
  const n = doc.network;
  out.push(`${doc.platform.name} (${doc.file})`);
  out.push(...table([
    ['target', `${t.cloud} ${t.region}${t.project ? `, project ${t.project}` : ''}`],
    ['preset', `${doc.platform.deployment} x ${doc.platform.compliance}`],
    ['state', backendText(doc.backend)],
    ['network', `${n.cidr}, ${n.zones} zone${n.zones === 1 ? '' : 's'}${n.availabilityZones ? ` (${n.availabilityZones.join(', ')})` : ''}, egress ${n.egress}`],
  ]));

  out.push('', 'Pools');
  if (doc.pools.length === 0) out.push('  none');
  for (const p of doc.pools) {
    const shape = [p.vcpus !== null ? `${p.vcpus} vCPU` : '', p.memoryGiB !== null ? `${p.memoryGiB} GiB` : '', p.gpu ? `${p.gpu.count} x ${p.gpu.model.toUpperCase()}` : '']
      .filter(Boolean).join(', ');
    out.push(`  ${p.name} (${p.kind} pool): ${p.instanceType}${shape ? `, ${shape}` : ' (not in the catalog)'}`);
    const rows = [
      ['runtime', p.runtime],
      ['KVM', p.kvm],
      ['nodes', `min ${p.minNodes}, max ${p.maxNodes}, warm ${p.warmNodes}; ${p.spot ? 'spot' : 'on-demand'}`],
    ];
    if (p.capacity) rows.push(['capacity', `${p.capacity.concurrentSandboxes} concurrent sandboxes: ${p.capacity.explanation}`]);
    out.push(...table(rows, '    '));
  }

  if (doc.kubernetes) out.push(...renderKubernetes(doc.kubernetes));

  out.push('', `Preset decisions (${doc.platform.deployment} x ${doc.platform.compliance})`);
  const width = Math.max(...doc.decisions.map((d) => d.setting.length));
  for (const d of doc.decisions) {
    out.push(`  ${d.setting.padEnd(width)}  ${d.value}`, `  ${''.padEnd(width)}  why: ${d.why}`);
  }

  if (doc.warnings.length > 0) {
    out.push('', 'Warnings');
    for (const w of doc.warnings) out.push(`  ${w.path}: ${w.message}`);
  }

  const c = doc.cost;
  out.push('', `Estimated cost (${c.currency}, on-demand list prices in ${c.region}, ${c.hoursPerMonth} h per month)`);
  const poolsTotal = c.fixed.length === 0 ? 'total' : 'pools total';
  out.push(...table([
    ['pool', 'type', 'nodes', 'per hour', 'hourly (min .. max nodes)', 'monthly (min .. max nodes)'],
    ...costRows(c.pools),
    [poolsTotal, '', '', '', moneyRange(c.totalHourly), moneyRange(c.totalMonthly)],
  ]));
  if (c.fixed.length > 0) {
    out.push('', ...table([
      ['fixed line', 'count', 'per hour', 'hourly', 'monthly'],
      ...fixedRows(c.fixed),
      ['platform total (pools and fixed lines)', '', '', moneyRange(c.platformHourly), moneyRange(c.platformMonthly)],
    ]));
  }
  if (!c.platformComplete) out.push('  Some prices are unknown: every figure that needs one is shown as unknown, never as 0.');
  out.push(`  Prices as of: ${c.priceDates.join(', ') || 'unknown'}`);
  out.push(`  Sources:${c.sources.length ? '' : ' none'}`, ...c.sources.map((x) => `    ${x}`));
  if (c.unknown.length > 0) out.push('  Unknown:', ...c.unknown.map((x) => `    ${x}`));
  // Notes that only repeat an Unknown entry are left out.
  const notes = [...c.pools.flatMap((l) => l.notes.map((x) => `${l.name}: ${x}`)), ...c.fixed.flatMap((l) => l.notes.map((x) => `${l.item}: ${x}`))]
    .filter((x) => !c.unknown.some((u) => u.endsWith(x.slice(x.indexOf(': ') + 2))));
  if (notes.length > 0) out.push('  Notes:', ...notes.map((x) => `    ${x}`));
  if (c.excluded.length > 0) out.push('  Not included:', ...c.excluded.map((x) => `    ${x}`));
  out.push(`  ${c.disclaimer}`);
  return `${out.join('\n')}\n`;
}
