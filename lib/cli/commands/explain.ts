import { CommandDef, FORMAT_OPTION, HELP_OPTION, ParsedArgs } from '../args';
import { explainDocument } from '../explain/model';
import { renderExplain } from '../explain/render';
import { CliIo, ExitCode, OutputFormat, printJson } from '../io';
import { loadFile } from '../load';
import { reportInvalidFile } from './failure';

export const EXPLAIN: CommandDef = {
  name: 'explain',
  summary: 'the resolved plan: pools, KVM mode, capacity arithmetic, preset decisions, estimated cost',
  args: '<spec.json>',
  minArgs: 1,
  maxArgs: 1,
  options: [FORMAT_OPTION, HELP_OPTION],
  details: [
    'Prints what synth would build from the spec file: per pool the instance type, runtime, KVM mode (bare metal,',
    'nested virtualization or none), min/max/warm nodes, spot, and the capacity arithmetic of pools sized from',
    '"capacity"; in Kubernetes mode the cluster (EKS, GKE or AKS, version and end of standard support, API',
    'endpoint, system pool, RuntimeClasses and handlers, each pool\'s labels and taints, the manifests file);',
    'each preset decision (keys, rotation, retention, NAT, audit trail, egress, prevent_destroy, metadata...)',
    'with the profile floor or spec value behind it; the warnings; and an estimated cost per pool, per fixed',
    'platform line the estimator prices (NAT gateways, firewalls; in Kubernetes mode the control-plane fee and',
    'the system node pool) and in total, hourly and monthly at min and at max nodes, from dated on-demand list',
    'prices with their sources. An estimate, not a quote; a price the table lacks is shown as unknown, never',
    'as 0. Exit 1 when the spec file is invalid.',
  ],
};

export function runExplain(io: CliIo, args: ParsedArgs): ExitCode {
  const file = args.positionals[0];
  const r = loadFile(io, file);
  if (!r.ok) return reportInvalidFile(io, 'explain', args.options.format, file, r.issues);
  const doc = explainDocument(file, r.loaded);
  if (args.options.format === OutputFormat.JSON) printJson(io, doc);
  else io.stdout(renderExplain(doc));
  return ExitCode.OK;
}
