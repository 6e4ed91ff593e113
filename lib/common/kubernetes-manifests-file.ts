/* Cloud-agnostic (no provider imports): the writer of kubernetes-manifests.json for every Kubernetes-mode platform (EKS, GKE, AKS). */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { ISynthesisSession, IStackSynthesizer, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { KUBERNETES_MANIFESTS_FILE } from '../spec';

/** Wraps a stack's synthesizer: after cdk.tf.json, writes the manifests beside it. */
class ManifestSynthesizer implements IStackSynthesizer {
  constructor(private readonly inner: IStackSynthesizer, private readonly stack: TerraformStack, private readonly text: string) {}

  public synthesize(session: ISynthesisSession): void {
    this.inner.synthesize(session);
    writeFileSync(join(session.outdir, session.manifest.forStack(this.stack).workingDirectory, KUBERNETES_MANIFESTS_FILE), this.text);
  }
}

/**
 * Writes `manifests` (a v1 List) as kubernetes-manifests.json next to the stack's cdk.tf.json on
 * every synth. One file per stack: a second call on the same stack throws.
 */
export function writeKubernetesManifests(scope: IConstruct, manifests: object): void {
  const stack = TerraformStack.of(scope);
  const mark = Symbol.for('cdktf-sandbox-byoc.kubernetes-manifests');
  if ((stack as unknown as Record<symbol, boolean>)[mark]) {
    throw new Error(`${scope.node.path}: stack ${stack.node.id} already writes ${KUBERNETES_MANIFESTS_FILE}; one Kubernetes-mode platform per stack`);
  }
  Object.defineProperty(stack, mark, { value: true, enumerable: false });
  stack.synthesizer = new ManifestSynthesizer(stack.synthesizer, stack, `${JSON.stringify(manifests, null, 2)}\n`);
}
