import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { Construct } from 'constructs';
import { AwsAccountContext } from './context';
import { encryptedLogGroup } from './log-group';

/** File on the node that the recorded Run Command document appends to; the CloudWatch agent ships it. */
export const COMMAND_AUDIT_LOG_FILE = '/var/log/sandbox-commands.log';

/** Log groups of shell and command records: outside the vendor-readable /sandbox/<name>/ prefix. */
export function shellAuditLogGroups(name: string): { commands: string; sessions: string } {
  return { commands: `/audit/${name}/commands`, sessions: `/audit/${name}/sessions` };
}

/**
 * SSM document names may not start with "aws" or "amazon" in any case (the prefixes are AWS's;
 * docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html, Name), and a
 * platform name may ("aws-sbx"): every document name starts with "sandbox-".
 */
export function ssmDocumentName(name: string, what: string): string {
  return `sandbox-${name}-${what}`;
}

export interface AwsShellAuditProps {
  readonly name: string;
  readonly context: AwsAccountContext;
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  readonly preventDestroy?: boolean;
  /**
   * Also write the account's regional Session Manager preferences (the SSM-SessionManagerRunShell
   * document) to log every session to the sessions log group, encrypted with the platform key. That
   * document is one per account and region and may already exist (the console creates it the first
   * time anyone saves preferences), in which case CreateDocument fails: opt in only where this stack
   * should own it. Default false: the platform's own session document (`sessionDocumentName`) logs
   * sessions started with it.
   */
  readonly manageAccountSessionPreferences?: boolean;
}

/**
 * Shell access that leaves a record (finding 10):
 * - a Run Command document that runs a script and appends the script and its output to
 *   COMMAND_AUDIT_LOG_FILE, which the nodes' CloudWatch agent ships to /audit/<name>/commands; the
 *   vendor's ssm:SendCommand is limited to this document. The script reaches the node as an
 *   environment variable (interpolationType ENV_VAR), never spliced into shell text
 *   (docs.aws.amazon.com/systems-manager/latest/userguide/documents-syntax-data-elements-parameters.html);
 * - a Session Manager document (sessionType Standard_Stream) that streams every session to
 *   /audit/<name>/sessions, encrypted with the platform key
 *   (docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-schema.html);
 * - optionally the account's default preferences document (see manageAccountSessionPreferences).
 * What root on a node can do to local files is not prevented: records already shipped stay.
 */
export class AwsShellAudit extends Construct {
  public readonly commandDocument: SsmDocument;
  public readonly sessionDocument: SsmDocument;
  public readonly commandDocumentName: string;
  public readonly sessionDocumentName: string;

  constructor(scope: Construct, id: string, props: AwsShellAuditProps) {
    super(scope, id);
    const groups = shellAuditLogGroups(props.name);
    const logGroup = (gid: string, name: string) => encryptedLogGroup(this, gid, {
      name, retentionDays: props.logRetentionDays, kmsKeyArn: props.kmsKeyArn, preventDestroy: props.preventDestroy,
    });
    logGroup('commands-logs', groups.commands);
    const sessions = logGroup('sessions-logs', groups.sessions);

    this.commandDocumentName = ssmDocumentName(props.name, 'run-recorded');
    this.commandDocument = new SsmDocument(this, 'run-recorded', {
      name: this.commandDocumentName,
      documentType: 'Command',
      documentFormat: 'JSON',
      content: JSON.stringify({
        schemaVersion: '2.2',
        description: `Run a shell script on ${props.name} sandbox hosts; the script and its output are recorded in ${groups.commands}`,
        parameters: {
          script: { type: 'String', description: 'Shell script to run as root (bash)', interpolationType: 'ENV_VAR' },
        },
        mainSteps: [{
          action: 'aws:runShellScript',
          name: 'runRecorded',
          inputs: {
            timeoutSeconds: '3600',
            runCommand: [
              'set -uo pipefail',
              'if [ -z "${SSM_script+x}" ]; then echo "SSM agent without ENV_VAR interpolation: refusing to run unrecorded" >&2; exit 1; fi',
              'log=' + COMMAND_AUDIT_LOG_FILE,
              'tmp="$(mktemp)"',
              'printf \'%s\\n\' "${SSM_script}" > "${tmp}"',
              '{ printf \'=== %s run-recorded: script\\n\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"; cat "${tmp}"; printf \'=== output\\n\'; } >> "${log}"',
              'bash "${tmp}" 2>&1 | tee -a "${log}"',
              'status="${PIPESTATUS[0]}"',
              'printf \'=== exit %s\\n\' "${status}" >> "${log}"',
              'rm -f "${tmp}"',
              'exit "${status}"',
            ],
          },
        }],
      }),
    });

    const sessionInputs = {
      s3BucketName: '', s3KeyPrefix: '', s3EncryptionEnabled: true,
      cloudWatchLogGroupName: sessions.name, cloudWatchEncryptionEnabled: true, cloudWatchStreamingEnabled: true,
      kmsKeyId: props.kmsKeyArn, runAsEnabled: false, runAsDefaultUser: '', idleSessionTimeout: '20',
      shellProfile: { windows: '', linux: '' },
    };
    const sessionContent = (description: string) => JSON.stringify({
      schemaVersion: '1.0', description, sessionType: 'Standard_Stream', inputs: sessionInputs,
    });
    this.sessionDocumentName = ssmDocumentName(props.name, 'shell');
    this.sessionDocument = new SsmDocument(this, 'session', {
      name: this.sessionDocumentName,
      documentType: 'Session',
      documentFormat: 'JSON',
      content: sessionContent(`Shell on ${props.name} sandbox hosts, streamed to ${groups.sessions} (KMS-encrypted)`),
    });
    if (props.manageAccountSessionPreferences) {
      new SsmDocument(this, 'account-session-preferences', {
        name: 'SSM-SessionManagerRunShell',
        documentType: 'Session',
        documentFormat: 'JSON',
        content: sessionContent('Session Manager preferences (managed by cdktf-sandbox-byoc)'),
      });
    }
  }
}
