// AWS resources take `tags`: the shared aspect applies as is.
export { ScopeAspect as AwsScopeAspect, applyScope as applyAwsScope } from '../common/scope-aspect';
